package dev.aepstreaming.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingShutdownException;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingTimeoutException;
import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.ImsTokenManagerCustomizer;
import dev.aepstreaming.delivery.DeadLetter;
import dev.aepstreaming.delivery.DeadLetterHandler;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import dev.aepstreaming.emulator.EmulatorFaults.OutageMode;
import dev.aepstreaming.ims.ImsTokenManager;
import dev.aepstreaming.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests what production throws at a producer, against the emulator on loopback: an IMS
 * outage longer than a token's life, a slow or dropping streaming endpoint, exhausted
 * request slots, a wall clock that jumps, and many senders across expiry, revocation and
 * shutdown at once.
 *
 * @author aep-streaming
 */
class FaultToleranceTests {

	private final MutableClock clock = new MutableClock(Instant.now());

	private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

	private AepEmulator emulator;

	@AfterEach
	void stopEmulator() {
		if (this.emulator != null) {
			this.emulator.close();
		}
	}

	@Test
	void imsOutageLongerThanATokensLifeFailsSendsClearlyThenRecoversByItself() {
		this.emulator = AepEmulator.builder().clock(this.clock).tokenLifetime(Duration.ofMinutes(1)).build().start();
		contextRunner().run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			template.send(event(1));
			this.emulator.faults().tokenOutage(Duration.ofMinutes(10), OutageMode.UNAVAILABLE);
			this.clock.advance(Duration.ofSeconds(61));
			assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> template.send(event(2)))
				.withMessageContaining("IMS is unreachable or failing")
				.satisfies((ex) -> assertThat(ex.isCredentialRejected()).isFalse());
			long requestsDuringOutage = tokenManager.getTokenRequestCount();
			for (int i = 0; i < 50; i++) {
				assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> template.send(event(3)));
			}
			assertThat(tokenManager.getTokenRequestCount()).as("no token request per send during the backoff")
				.isEqualTo(requestsDuringOutage);
			this.clock.advance(Duration.ofMinutes(10));
			StreamingResult recovered = template.send(event(4));
			assertThat(recovered.statusCode()).isEqualTo(200);
			assertThat(this.deadLetters).extracting(DeadLetter::eventId).contains("event-2").doesNotContain("event-4");
		});
	}

	@Test
	void streamingEndpointThatStopsAnsweringTimesOutAndRecovers() {
		this.emulator = AepEmulator.builder().build().start();
		contextRunner().withPropertyValues("aep.streaming.response-timeout=200ms").run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			this.emulator.faults().slowResponses(EmulatorEndpoint.SINGLE, 1.0, Duration.ofSeconds(2));
			assertThatExceptionOfType(StreamingTimeoutException.class).isThrownBy(() -> template.send(event(1)))
				.withMessageContaining("aep.streaming.response-timeout");
			this.emulator.faults().reset();
			assertThat(template.send(event(2)).statusCode()).isEqualTo(200);
		});
	}

	@Test
	void droppedConnectionsAreRetriedUntilEveryEventIsDelivered() {
		this.emulator = AepEmulator.builder().seed(7).build().start();
		this.emulator.faults().dropConnections(EmulatorEndpoint.SINGLE, 0.1);
		contextRunner().withPropertyValues("aep.streaming.retry.max-attempts=10").run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			List<CompletableFuture<StreamingResult>> sends = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				sends.add(template.sendAsync(event(i)));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			assertThat(this.deadLetters).isEmpty();
			assertThat(distinctAcceptedIds()).hasSize(200);
		});
	}

	@Test
	void exhaustedRequestSlotsMakeSendersWaitRatherThanFail() {
		this.emulator = AepEmulator.builder().build().start();
		this.emulator.faults().latency(EmulatorEndpoint.SINGLE, Duration.ofMillis(20));
		contextRunner().withPropertyValues("aep.streaming.max-in-flight=2").run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			List<CompletableFuture<StreamingResult>> sends = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				sends.add(template.sendAsync(event(i)));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			assertThat(this.deadLetters).isEmpty();
			assertThat(this.emulator.recorder().acceptedMessageCount()).isEqualTo(100);
		});
	}

	@Test
	void wallClockJumpingBackwardsAndForwardsKeepsSendsWorkingWithFewTokenRequests() {
		this.emulator = AepEmulator.builder().tokenLifetime(Duration.ofHours(1)).build().start();
		contextRunner().run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			Instant start = this.clock.instant();
			template.send(event(1));
			this.clock.set(start.minus(Duration.ofDays(2)));
			template.send(event(2));
			assertThat(tokenManager.getTokenRequestCount()).isOne();
			this.clock.set(start.plus(Duration.ofDays(1)));
			template.send(event(3));
			this.clock.set(start.minus(Duration.ofDays(4)));
			template.send(event(4));
			assertThat(tokenManager.getTokenRequestCount()).isEqualTo(2);
			assertThat(this.deadLetters).isEmpty();
		});
	}

	@Test
	void manySendersAcrossExpiryRevocationAndShutdownCompleteEachSendExactlyOnce() throws Exception {
		this.emulator = AepEmulator.builder().clock(this.clock).tokenLifetime(Duration.ofSeconds(30)).build().start();
		this.emulator.faults().latency(EmulatorEndpoint.SINGLE, Duration.ofMillis(2));
		ConcurrentMap<Integer, AtomicInteger> completions = new ConcurrentHashMap<>();
		AtomicInteger refusedAtAcceptance = new AtomicInteger();
		AtomicInteger failedAfterAcceptance = new AtomicInteger();
		AtomicInteger delivered = new AtomicInteger();
		int senders = 4;
		int sendsPerSender = 400;
		ExecutorService executor = Executors.newFixedThreadPool(senders + 1);
		try {
			contextRunner().withPropertyValues("aep.streaming.shutdown.timeout=2s").run((context) -> {
				StreamingTemplate template = context.getBean(StreamingTemplate.class);
				List<CompletableFuture<?>> producers = new ArrayList<>();
				for (int s = 0; s < senders; s++) {
					int sender = s;
					producers.add(CompletableFuture.runAsync(() -> {
						for (int i = 0; i < sendsPerSender; i++) {
							int id = sender * sendsPerSender + i;
							completions.put(id, new AtomicInteger());
							template.sendAsync(event(id)).whenComplete((result, ex) -> {
								completions.get(id).incrementAndGet();
								if (ex == null) {
									delivered.incrementAndGet();
								}
								else if (ex instanceof StreamingShutdownException && this.deadLetters.stream()
									.noneMatch((letter) -> letter.eventId().equals("event-" + id))) {
									refusedAtAcceptance.incrementAndGet();
								}
								else {
									failedAfterAcceptance.incrementAndGet();
								}
							});
						}
					}, executor));
				}
				producers.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < 20; i++) {
						this.clock.advance(Duration.ofSeconds(10));
						if (i == 10) {
							this.emulator.revokeAllTokens();
						}
						Thread.onSpinWait();
					}
				}, executor));
				CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			});
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (completions.values().stream().anyMatch((count) -> count.get() == 0)) {
				assertThat(System.nanoTime()).as("every send completes: no deadlock").isLessThan(deadline);
				Thread.onSpinWait();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(completions).hasSize(senders * sendsPerSender);
		assertThat(completions.values()).allSatisfy((count) -> assertThat(count.get()).isOne());
		assertThat(delivered.get() + refusedAtAcceptance.get() + failedAfterAcceptance.get())
			.isEqualTo(senders * sendsPerSender);
		assertThat(this.deadLetters).hasSize(failedAfterAcceptance.get());
		assertThat(distinctAcceptedIds()).hasSizeGreaterThanOrEqualTo(delivered.get());
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.connection-id=conn-faults", "aep.streaming.flow-id=flow-faults",
					"aep.streaming.base-url=" + this.emulator.baseUrl(),
					"aep.streaming.ims.token-uri=" + this.emulator.tokenUri(),
					"aep.streaming.ims.client-id=" + this.emulator.clientId(),
					"aep.streaming.ims.client-secret=" + this.emulator.clientSecret(),
					"aep.streaming.ims.org-id=" + this.emulator.orgId(),
					"aep.streaming.xdm.schema-id=https://ns.adobe.com/faults/schemas/1",
					"aep.streaming.xdm.dataset-id=dataset-faults", "aep.streaming.retry.max-attempts=3",
					"aep.streaming.retry.initial-backoff=5ms", "aep.streaming.retry.max-backoff=20ms",
					"aep.streaming.rate-limit.enabled=false", "aep.streaming.ims.initial-retry-backoff=1s",
					"aep.streaming.ims.max-retry-backoff=5s")
			.withBean("mutableClock", ImsTokenManagerCustomizer.class, () -> (manager) -> manager.setClock(this.clock))
			.withBean("recordingDeadLetters", DeadLetterHandler.class, () -> this.deadLetters::add);
	}

	private List<String> distinctAcceptedIds() {
		return this.emulator.recorder()
			.messages()
			.stream()
			.map((message) -> message.body().path("body").path("xdmEntity").path("_id").asString())
			.distinct()
			.toList();
	}

	private static Map<String, Object> event(int id) {
		return Map.of("_id", "event-" + id, "timestamp", "2026-12-03T10:00:00Z");
	}

}
