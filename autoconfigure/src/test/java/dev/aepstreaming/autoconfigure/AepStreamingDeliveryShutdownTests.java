package dev.aepstreaming.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingShutdownException;
import dev.aepstreaming.autoconfigure.emulator.AepEmulatorAutoConfiguration;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.delivery.RecordingDeadLetterHandler;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that closing the application context flushes the auto-configured
 * {@link DeliveryEngine}: buffered events are delivered to the embedded emulator before
 * the close returns, and those still undelivered when the shutdown timeout runs out fail
 * their callers and are dead-lettered exactly once.
 *
 * @author aep-streaming
 */
class AepStreamingDeliveryShutdownTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepEmulatorAutoConfiguration.class, AepStreamingAutoConfiguration.class))
		.withUserConfiguration(RecordingConfiguration.class)
		.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-1",
				"aep.streaming.xdm.schema-id=https://ns.adobe.com/emulator/schemas/events",
				"aep.streaming.xdm.dataset-id=dataset-1", "aep.streaming.rate-limit.enabled=false");

	@ParameterizedTest(name = "batching: {0}")
	@ValueSource(booleans = { false, true })
	void bufferedEventsAreDeliveredBeforeTheContextCloses(boolean batching) {
		int events = 5_000;
		this.contextRunner
			.withPropertyValues("aep.streaming.batch.enabled=" + batching,
					"aep.streaming.batch.max-concurrent-requests=2", "aep.streaming.shutdown.timeout=60s")
			.run((context) -> {
				AepEmulator emulator = context.getBean(AepEmulator.class);
				DeliveryEngine engine = context.getBean(DeliveryEngine.class);
				RecordingDeadLetterHandler deadLetters = context.getBean(RecordingDeadLetterHandler.class);
				// The first requests take long enough for most events to be still
				// buffered
				// behind them when the context closes, even on a slow machine
				slowDown(emulator, Duration.ofSeconds(3));
				Outcomes outcomes = new Outcomes();
				outcomes.sendAll(context.getBean(ReactiveStreamingOperations.class), ids(events));
				assertThat(engine.getPendingCount()).as("events still buffered").isGreaterThan(events / 2);
				slowDown(emulator, Duration.ZERO);
				context.close();
				assertThat(engine.getPendingCount()).isZero();
				assertThat(emulator.recorder().acceptedMessageCount()).isEqualTo(events);
				List<String> recorded = recordedIds(emulator);
				assertThat(recorded).hasSize(events);
				assertThat(Set.copyOf(recorded)).isEqualTo(Set.copyOf(ids(events)));
				assertThat(deadLetters.letters()).isEmpty();
				await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.count() == events);
				assertThat(outcomes.signals()).allSatisfy(
						(id, signals) -> assertThat(signals).singleElement().isInstanceOf(StreamingResult.class));
			});
	}

	@ParameterizedTest(name = "batching: {0}")
	@ValueSource(booleans = { false, true })
	void eventsUndeliveredWhenTheShutdownTimeoutRunsOutFailOnceAndAreDeadLetteredOnce(boolean batching) {
		int events = 500;
		this.contextRunner
			.withPropertyValues("aep.streaming.batch.enabled=" + batching, "aep.streaming.shutdown.timeout=300ms")
			.run((context) -> {
				AepEmulator emulator = context.getBean(AepEmulator.class);
				slowDown(emulator, Duration.ofSeconds(5));
				ReactiveStreamingOperations streaming = context.getBean(ReactiveStreamingOperations.class);
				DeliveryEngine engine = context.getBean(DeliveryEngine.class);
				RecordingDeadLetterHandler deadLetters = context.getBean(RecordingDeadLetterHandler.class);
				Outcomes outcomes = new Outcomes();
				outcomes.sendAll(streaming, ids(events));
				CompletableFuture<Throwable> lateSend = CompletableFuture.supplyAsync(() -> {
					await().atMost(Duration.ofSeconds(10))
						.pollInterval(Duration.ofMillis(1))
						.until(() -> !engine.isAccepting());
					return streaming.send(Map.of("_id", "evt-late"))
						.then(Mono.<Throwable>empty())
						.onErrorResume(Mono::just)
						.block(Duration.ofSeconds(10));
				});
				context.close();
				assertThat(lateSend.get(10, TimeUnit.SECONDS)).isInstanceOf(StreamingShutdownException.class);
				assertThat(outcomes.count()).isEqualTo(events);
				assertThat(outcomes.signals()).allSatisfy((id, signals) -> assertThat(signals).singleElement()
					.isInstanceOf(StreamingShutdownException.class));
				assertThat(deadLetters.countsByEventId()).containsOnlyKeys(ids(events))
					.allSatisfy((id, count) -> assertThat(count).isOne());
				assertThat(deadLetters.letters()).allSatisfy((letter) -> assertThat(letter.reason())
					.isSameAs(outcomes.signals().get(letter.eventId()).get(0)));
				assertThat(engine.getPendingCount()).isZero();
				assertThat(engine.getBufferedCount()).isZero();
			});
	}

	private static void slowDown(AepEmulator emulator, Duration latency) {
		emulator.faults().latency(EmulatorEndpoint.SINGLE, latency).latency(EmulatorEndpoint.BATCH, latency);
	}

	private static List<String> ids(int count) {
		return IntStream.range(0, count).mapToObj((i) -> "evt-" + i).toList();
	}

	private static List<String> recordedIds(AepEmulator emulator) {
		return emulator.recorder()
			.messages()
			.stream()
			.map((message) -> message.body().path("body").path("xdmEntity").path("_id").asString())
			.toList();
	}

	/**
	 * Every signal that the callers of sends heard, by event id.
	 */
	private static final class Outcomes {

		private final Map<String, List<Object>> signals = new ConcurrentHashMap<>();

		void sendAll(ReactiveStreamingOperations streaming, List<String> ids) {
			for (String id : ids) {
				streaming.send(Map.of("_id", id, "timestamp", "2026-12-03T10:00:00Z"))
					.subscribe((result) -> record(id, result), (ex) -> record(id, ex));
			}
		}

		private void record(String id, Object signal) {
			this.signals.computeIfAbsent(id, (key) -> new CopyOnWriteArrayList<>()).add(signal);
		}

		int count() {
			return this.signals.size();
		}

		Map<String, List<Object>> signals() {
			return this.signals;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingConfiguration {

		@Bean
		RecordingDeadLetterHandler recordingDeadLetterHandler() {
			return new RecordingDeadLetterHandler();
		}

	}

}
