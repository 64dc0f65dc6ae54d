package dev.aepstreaming.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.autoconfigure.emulator.AepEmulatorAutoConfiguration;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.delivery.RecordingDeadLetterHandler;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import dev.aepstreaming.emulator.RecordedMessage;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that no event sent through the auto-configured
 * {@link ReactiveStreamingOperations} is lost while the embedded emulator answers a share
 * of the requests with {@code 503} and {@code 429}, refuses some events as invalid, and
 * revokes every token midway: each event is either acknowledged to its caller or failed
 * to its caller and handed to the dead-letter handler, never both, never neither.
 *
 * @author aep-streaming
 */
class AepStreamingDeliveryUnderFaultsTests {

	private static final int EVENTS = 10_000;

	private static final int INVALID_EVERY = 500;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepEmulatorAutoConfiguration.class, AepStreamingAutoConfiguration.class))
		.withUserConfiguration(RecordingConfiguration.class)
		.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-1",
				"aep.streaming.xdm.schema-id=https://ns.adobe.com/emulator/schemas/events",
				"aep.streaming.xdm.dataset-id=dataset-1", "aep.streaming.retry.max-attempts=4",
				"aep.streaming.retry.initial-backoff=5ms", "aep.streaming.retry.max-backoff=50ms",
				"aep.streaming.rate-limit.enabled=false");

	@Test
	void everySingleSendIsAcknowledgedOrDeadLetteredDespiteServerErrorsRateLimitsAndARevocation() {
		this.contextRunner.run((context) -> {
			AepEmulator emulator = context.getBean(AepEmulator.class);
			emulator.faults()
				.errorRate(EmulatorEndpoint.SINGLE, 503, 0.10)
				.errorRate(EmulatorEndpoint.SINGLE, 429, 0.05)
				.retryAfter(EmulatorEndpoint.SINGLE, Duration.ZERO);
			assertNoEventIsLost(context, emulator);
			assertThat(emulator.recorder().messages()).noneMatch(RecordedMessage::batch);
		});
	}

	@Test
	void everyBatchedSendIsAcknowledgedOrDeadLetteredDespiteServerErrorsRateLimitsAndARevocation() {
		this.contextRunner
			.withPropertyValues("aep.streaming.batch.enabled=true", "aep.streaming.batch.max-messages=100")
			.run((context) -> {
				AepEmulator emulator = context.getBean(AepEmulator.class);
				emulator.faults()
					.errorRate(EmulatorEndpoint.BATCH, 503, 0.10)
					.errorRate(EmulatorEndpoint.BATCH, 429, 0.05)
					.retryAfter(EmulatorEndpoint.BATCH, Duration.ZERO);
				assertNoEventIsLost(context, emulator);
				assertThat(emulator.recorder().messages()).allMatch(RecordedMessage::batch);
			});
	}

	private void assertNoEventIsLost(AssertableApplicationContext context, AepEmulator emulator) {
		ReactiveStreamingOperations streaming = context.getBean(ReactiveStreamingOperations.class);
		RecordingDeadLetterHandler deadLetters = context.getBean(RecordingDeadLetterHandler.class);
		Map<String, List<Object>> outcomes = new ConcurrentHashMap<>();
		AtomicInteger acknowledged = new AtomicInteger();
		for (int i = 0; i < EVENTS; i++) {
			String id = "evt-" + i;
			streaming.send(event(id, i % INVALID_EVERY == 0)).subscribe((result) -> {
				record(outcomes, id, result);
				if (acknowledged.incrementAndGet() == EVENTS / 2) {
					emulator.revokeAllTokens();
				}
			}, (ex) -> record(outcomes, id, ex));
		}
		await().atMost(Duration.ofSeconds(90)).until(() -> outcomes.size() == EVENTS);
		assertThat(outcomes).hasSize(EVENTS).allSatisfy((id, signals) -> assertThat(signals).hasSize(1));
		Map<String, Object> outcomeById = outcomes.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue().get(0)));
		Set<String> acknowledgedIds = idsOf(outcomeById, StreamingResult.class);
		Set<String> failedIds = idsOf(outcomeById, Throwable.class);
		assertThat(acknowledgedIds.size() + failedIds.size()).isEqualTo(EVENTS);
		assertThat(failedIds).containsAll(invalidIds());
		assertThat(failedIds).allSatisfy(
				(id) -> assertThat(outcomeById.get(id)).isInstanceOfSatisfying(AepStreamingException.class, (ex) -> {
					if (invalidIds().contains(id)) {
						assertThat(ex).isInstanceOf(StreamingValidationException.class);
					}
					else {
						assertThat(ex.isRetryable()).as("%s failed after the retries: %s", id, ex).isTrue();
						assertThat(ex.getStatusCode()).isIn(429, 503);
					}
				}));
		assertThat(deadLetters.countsByEventId()).containsOnlyKeys(failedIds)
			.allSatisfy((id, count) -> assertThat(count).isOne());
		assertThat(deadLetters.letters())
			.allSatisfy((letter) -> assertThat(letter.reason()).isSameAs(outcomeById.get(letter.eventId())));
		List<String> recordedIds = emulator.recorder()
			.messages()
			.stream()
			.map((message) -> message.body().path("body").path("xdmEntity").path("_id").asString())
			.toList();
		assertThat(emulator.recorder().acceptedMessageCount()).isEqualTo(recordedIds.size());
		// The emulator decides a fault before it reads a request, and every request is
		// answered: an attempt that failed was never recorded, so nothing is duplicated
		int duplicates = recordedIds.size() - Set.copyOf(recordedIds).size();
		assertThat(duplicates).isZero();
		assertThat(Set.copyOf(recordedIds)).isEqualTo(acknowledgedIds);
		assertThat(emulator.recorder().issuedTokenCount()).isGreaterThanOrEqualTo(2);
		assertThat(emulator.recorder().rejections()).anyMatch((rejection) -> rejection.status() == 401);
		DeliveryEngine engine = context.getBean(DeliveryEngine.class);
		assertThat(engine.getPendingCount()).isZero();
		assertThat(engine.getBufferedCount()).isZero();
	}

	private static void record(Map<String, List<Object>> outcomes, String id, Object signal) {
		outcomes.computeIfAbsent(id, (key) -> new CopyOnWriteArrayList<>()).add(signal);
	}

	private static Set<String> idsOf(Map<String, Object> outcomes, Class<?> type) {
		return outcomes.entrySet()
			.stream()
			.filter((entry) -> type.isInstance(entry.getValue()))
			.map(Map.Entry::getKey)
			.collect(Collectors.toSet());
	}

	private static Set<String> invalidIds() {
		return IntStream.range(0, EVENTS)
			.filter((i) -> i % INVALID_EVERY == 0)
			.mapToObj((i) -> "evt-" + i)
			.collect(Collectors.toSet());
	}

	/**
	 * An event, or one whose envelope lacks the organization, dataset and flow that AEP
	 * requires, so that AEP refuses it.
	 */
	private static StreamingMessage event(String id, boolean invalid) {
		Map<String, Object> entity = Map.of("_id", id, "timestamp", "2026-12-03T10:00:00Z");
		if (invalid) {
			Map<String, Object> schemaRef = Map.of("id", "https://ns.adobe.com/emulator/schemas/events");
			return StreamingMessage.envelope(Map.of("header", Map.of("schemaRef", schemaRef), "body",
					Map.of("xdmMeta", Map.of("schemaRef", schemaRef), "xdmEntity", entity)));
		}
		return StreamingMessage.xdm(entity);
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingConfiguration {

		@Bean(destroyMethod = "close")
		AepEmulator aepEmulator() {
			return AepEmulator.builder().seed(2026).recorderCapacity(2 * EVENTS).build().start();
		}

		@Bean
		RecordingDeadLetterHandler recordingDeadLetterHandler() {
			return new RecordingDeadLetterHandler();
		}

	}

}
