package dev.aepstreaming.sample;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.ims.ImsTokenManager;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.log.LogMessage;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Streams {@code sample.event-count} synthetic events with {@code sample.concurrency}
 * sends in flight, paced to {@code sample.rate} events per second when set, shows
 * progress every second and ends with a one-line summary.
 *
 * @author aep-streaming
 */
@Component
class EventStreamingRunner implements ApplicationRunner, ExitCodeGenerator {

	private static final Log logger = LogFactory.getLog(EventStreamingRunner.class);

	private static final Duration PACING_TICK = Duration.ofMillis(10);

	private static final int MAX_FAILURES_LOGGED = 10;

	private final ReactiveStreamingOperations streaming;

	private final ObjectProvider<ImsTokenManager> tokenManager;

	private final SampleProperties properties;

	private final SyntheticExperienceEvents events = new SyntheticExperienceEvents(Clock.systemUTC());

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private volatile int exitCode = 1;

	EventStreamingRunner(ReactiveStreamingOperations streaming, ObjectProvider<ImsTokenManager> tokenManager,
			SampleProperties properties) {
		this.streaming = streaming;
		this.tokenManager = tokenManager;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		int count = this.properties.getEventCount();
		Assert.isTrue(count > 0, "sample.event-count must be positive");
		Assert.isTrue(this.properties.getConcurrency() > 0, "sample.concurrency must be positive");
		Assert.isTrue(this.properties.getRate() >= 0, "sample.rate must not be negative");
		logger.info(LogMessage.format("Streaming %d events, %d in flight%s", count, this.properties.getConcurrency(),
				(this.properties.getRate() > 0) ? ", at " + this.properties.getRate() + " events/s" : ""));
		long start = System.nanoTime();
		Disposable progress = Flux.interval(Duration.ofSeconds(1))
			.subscribe((tick) -> logger.info(LogMessage.format("Progress: %d of %d acknowledged, %d failed",
					this.sent.get(), count, this.failed.get())));
		try {
			indices(count).flatMap(this::send, this.properties.getConcurrency()).blockLast();
		}
		finally {
			progress.dispose();
		}
		double elapsed = (System.nanoTime() - start) / 1e9;
		long tokenRequests = this.tokenManager.stream().mapToLong(ImsTokenManager::getTokenRequestCount).sum();
		System.out.println(String.format(Locale.ROOT,
				"Summary: events=%d sent=%d failed=%d token-requests=%d elapsed=%.3fs rate=%.1f events/s", count,
				this.sent.get(), this.failed.get(), tokenRequests, elapsed, this.sent.get() / elapsed));
		this.exitCode = (this.sent.get() == count && this.failed.get() == 0) ? 0 : 1;
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

	private Mono<Void> send(int index) {
		return this.streaming.send(this.events.next())
			.doOnNext((result) -> this.sent.incrementAndGet())
			.onErrorResume((ex) -> {
				long failures = this.failed.incrementAndGet();
				if (failures <= MAX_FAILURES_LOGGED) {
					logger.warn(LogMessage.format("Event %d failed: %s", index,
							(ex instanceof AepStreamingException) ? ex.getMessage() : ex.toString()));
				}
				return Mono.empty();
			})
			.then();
	}

	/**
	 * Emit the event indices, all at once or paced: every tick releases the events due by
	 * then, so the rate holds whatever the tick's precision.
	 */
	private Flux<Integer> indices(int count) {
		double rate = this.properties.getRate();
		if (rate <= 0) {
			return Flux.range(0, count);
		}
		long start = System.nanoTime();
		AtomicInteger released = new AtomicInteger();
		return Flux.interval(Duration.ZERO, PACING_TICK).onBackpressureDrop().concatMap((tick) -> {
			int due = (int) Math.min(count, Math.ceil((System.nanoTime() - start) / 1e9 * rate));
			int from = released.getAndSet(Math.max(due, released.get()));
			return Flux.range(from, Math.max(0, due - from));
		}).take(count);
	}

}
