package dev.aepstreaming.benchmarks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A closed-loop load generator: a fixed number of senders, each starting its next send as
 * soon as its previous one ends, on the thread that ended it, for a given time. The
 * senders are independent loops rather than one stream with a concurrency limit, so that
 * starting sends is not serialized through one thread. The latency of every successful
 * send is recorded in an HdrHistogram; failures are counted and the first one kept for
 * the report.
 *
 * @author aep-streaming
 */
final class LoadHarness {

	private static final long HIGHEST_TRACKABLE_NANOS = Duration.ofMinutes(2).toNanos();

	private static final Duration MAX_DRAIN_TIME = Duration.ofMinutes(2);

	private LoadHarness() {
	}

	/**
	 * Keep {@code concurrency} sends in flight for {@code duration}, then wait for those
	 * in flight to end. A send that completes without a value counts as a success.
	 * @param send makes one send, subscribed once
	 * @param concurrency the number of sends in flight
	 * @param duration how long new sends are started
	 * @param samples where to log each send's start and latency, or {@code null}
	 * @return the result
	 */
	static LoadResult runFor(Supplier<Mono<?>> send, int concurrency, Duration duration, SampleLog samples) {
		Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
		AtomicLong failures = new AtomicLong();
		AtomicReference<Throwable> firstFailure = new AtomicReference<>();
		long start = System.nanoTime();
		long deadline = start + duration.toNanos();
		Flux.range(0, concurrency)
			.flatMap((sender) -> timed(send, recorder, failures, firstFailure, samples)
				.repeat(() -> System.nanoTime() < deadline), concurrency)
			.then()
			.block(duration.plus(MAX_DRAIN_TIME));
		long elapsed = System.nanoTime() - start;
		Histogram histogram = recorder.getIntervalHistogram();
		return new LoadResult(concurrency, histogram.getTotalCount(), failures.get(), elapsed, histogram,
				firstFailure.get());
	}

	private static Mono<Void> timed(Supplier<Mono<?>> send, Recorder recorder, AtomicLong failures,
			AtomicReference<Throwable> firstFailure, SampleLog samples) {
		return Mono.defer(() -> {
			long startedAtMillis = System.currentTimeMillis();
			long started = System.nanoTime();
			return send.get().doOnSuccess((result) -> {
				long latency = System.nanoTime() - started;
				recorder.recordValue(Math.min(latency, HIGHEST_TRACKABLE_NANOS));
				if (samples != null) {
					samples.add(startedAtMillis, latency);
				}
			}).then().onErrorResume((ex) -> {
				failures.incrementAndGet();
				firstFailure.compareAndSet(null, ex);
				return Mono.empty();
			});
		});
	}

}
