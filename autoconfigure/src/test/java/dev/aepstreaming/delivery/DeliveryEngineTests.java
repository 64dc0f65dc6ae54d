package dev.aepstreaming.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.BufferFullException;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingShutdownException;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import org.springframework.web.reactive.function.client.WebClient;

import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DeliveryEngine} sending single messages to a streaming server on
 * loopback that holds its answers until a test opens its gate.
 *
 * @author aep-streaming
 */
class DeliveryEngineTests {

	private static final StreamingMessageWriter WRITER = AepTestServers.writer(AepTestServers.envelopeSettings());

	private AepTestServers servers;

	private final CountDownLatch gate = new CountDownLatch(1);

	private final RecordingDeadLetterHandler deadLetters = new RecordingDeadLetterHandler();

	private final List<DeliveryEngine> engines = new ArrayList<>();

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
		this.servers.streaming().respond(this::answerWhenTheGateOpens);
	}

	@AfterEach
	void stopServers() {
		this.gate.countDown();
		this.engines.forEach((engine) -> engine.shutdown(Duration.ofSeconds(5)));
		this.servers.close();
	}

	@Test
	void sendToAFullBufferFailsAfterTheMaximumWaitNamingTheCapacityProperty() throws Exception {
		DeliveryEngine engine = engine(10, Duration.ofMillis(200), this.deadLetters);
		List<CompletableFuture<StreamingResult>> accepted = sendAll(engine, 10);
		await().atMost(TIMEOUT).until(() -> this.servers.streaming().requestCount() == 10);
		long start = System.nanoTime();
		StepVerifier.create(engine.send(message("evt-11")))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(BufferFullException.class)
				.hasMessageContaining("evt-11")
				.hasMessageContaining("aep.streaming.buffer.capacity"))
			.verify(TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(engine.getBufferedCount()).isEqualTo(10);
		this.gate.countDown();
		for (CompletableFuture<StreamingResult> result : accepted) {
			assertThat(result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		assertThat(this.servers.streaming().requestCount()).isEqualTo(10);
		assertThat(this.deadLetters.letters()).isEmpty();
		assertThat(engine.getBufferedCount()).isZero();
		assertThat(engine.getPendingCount()).isZero();
	}

	@Test
	void deliveryIsNeitherPendingNorBufferedOnceItsCallerHearsOfIt() {
		DeliveryEngine engine = engine(10, Duration.ofSeconds(1), this.deadLetters);
		this.gate.countDown();
		List<Integer> countsWhenHeard = engine.send(message("evt-1"))
			.map((result) -> List.of(engine.getPendingCount(), engine.getBufferedCount()))
			.block(TIMEOUT);
		assertThat(countsWhenHeard).containsExactly(0, 0);
	}

	@Test
	void sendThatWaitsForRoomIsDeliveredWhenRoomFreesUpInTime() throws Exception {
		DeliveryEngine engine = engine(10, Duration.ofSeconds(10), this.deadLetters);
		List<CompletableFuture<StreamingResult>> accepted = sendAll(engine, 10);
		await().atMost(TIMEOUT).until(() -> this.servers.streaming().requestCount() == 10);
		CompletableFuture<StreamingResult> waiting = engine.send(message("evt-11")).toFuture();
		assertThat(waiting).isNotDone();
		assertThat(this.servers.streaming().requestCount()).isEqualTo(10);
		this.gate.countDown();
		assertThat(waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).xactionId()).isEqualTo("x-evt-11");
		for (CompletableFuture<StreamingResult> result : accepted) {
			assertThat(result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		assertThat(this.servers.streaming().requestCount()).isEqualTo(11);
		assertThat(this.deadLetters.letters()).isEmpty();
	}

	@Test
	void callerThatStopsListeningDoesNotStopTheDelivery() {
		DeliveryEngine engine = engine(10, Duration.ofSeconds(1), this.deadLetters);
		Disposable caller = engine.send(message("evt-1")).subscribe();
		await().atMost(TIMEOUT).until(() -> this.servers.streaming().requestCount() == 1);
		caller.dispose();
		this.gate.countDown();
		await().atMost(TIMEOUT).until(() -> engine.getPendingCount() == 0);
		assertThat(this.deadLetters.letters()).isEmpty();
		assertThat(engine.getBufferedCount()).isZero();
		assertThat(this.servers.streaming().requestCount()).isEqualTo(1);
	}

	@Test
	void explicitBatchIsDeliveredEvenIfItsCallerStopsListening() {
		DeliveryEngine engine = engine(10, Duration.ofSeconds(1), this.deadLetters);
		Disposable caller = engine.sendBatch(List.of(message("b-1"), message("b-2"))).subscribe();
		await().atMost(TIMEOUT).until(() -> this.servers.streaming().requestCount() == 1);
		assertThat(engine.getPendingCount()).isOne();
		caller.dispose();
		this.gate.countDown();
		await().atMost(TIMEOUT).until(() -> engine.getPendingCount() == 0);
		assertThat(this.deadLetters.letters()).isEmpty();
		assertThat(engine.getBufferedCount()).isZero();
		assertThat(this.servers.streaming().requestCount()).isEqualTo(1);
	}

	@Test
	void shutdownWaitsForAnExplicitBatchAndDeadLettersEachOfItsMessagesWhenTimeRunsOut() {
		DeliveryEngine engine = engine(10, Duration.ofSeconds(1), this.deadLetters);
		CompletableFuture<BatchResult> batch = engine.sendBatch(List.of(message("b-1"), message("b-2"), message("b-3")))
			.toFuture();
		await().atMost(TIMEOUT).until(() -> this.servers.streaming().requestCount() == 1);
		assertThat(engine.shutdown(Duration.ofMillis(100))).isEqualTo(3);
		assertThat(batch).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(StreamingShutdownException.class)
			.withMessageContaining("A batch of 3 events (the first b-1)")
			.withMessageContaining("aep.streaming.shutdown.timeout");
		assertThat(this.deadLetters.countsByEventId()).containsOnlyKeys("b-1", "b-2", "b-3")
			.allSatisfy((id, count) -> assertThat(count).isOne());
		assertThat(engine.getPendingCount()).isZero();
		assertThat(engine.getBufferedCount()).isZero();
	}

	@Test
	void shutdownFailsAndDeadLettersEachUndeliveredMessageOnce() {
		DeliveryEngine engine = engine(10, Duration.ofSeconds(1), this.deadLetters);
		Outcomes outcomes = new Outcomes();
		for (int i = 1; i <= 3; i++) {
			outcomes.send(engine, "evt-" + i);
		}
		await().atMost(TIMEOUT).until(() -> this.servers.streaming().requestCount() == 3);
		assertThat(engine.shutdown(Duration.ofMillis(100))).isEqualTo(3);
		assertThat(outcomes.failures()).hasSize(3)
			.allSatisfy((id, ex) -> assertThat(ex).isInstanceOf(StreamingShutdownException.class)
				.hasMessageContaining(id)
				.hasMessageContaining("aep.streaming.shutdown.timeout"));
		assertThat(this.deadLetters.countsByEventId()).containsOnlyKeys("evt-1", "evt-2", "evt-3")
			.allSatisfy((id, count) -> assertThat(count).isOne());
		assertThat(this.deadLetters.letters())
			.allSatisfy((letter) -> assertThat(letter.reason()).isSameAs(outcomes.failures().get(letter.eventId())));
		assertThat(outcomes.signals()).hasSize(3).allSatisfy((id, signals) -> assertThat(signals).hasSize(1));
		assertThat(engine.getPendingCount()).isZero();
		assertThat(engine.getBufferedCount()).isZero();
	}

	@Test
	void sendAfterShutdownIsRefusedAndNotDeadLettered() {
		DeliveryEngine engine = engine(10, Duration.ofSeconds(1), this.deadLetters);
		assertThat(engine.shutdown(Duration.ofSeconds(1))).isZero();
		assertThat(engine.isAccepting()).isFalse();
		StepVerifier.create(engine.send(message("evt-late")))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(StreamingShutdownException.class)
				.hasMessageContaining("evt-late"))
			.verify(TIMEOUT);
		assertThat(this.deadLetters.letters()).isEmpty();
		assertThat(this.servers.streaming().requestCount()).isZero();
	}

	@Test
	void sendWaitingForRoomWhenShutdownBeginsIsRefusedAndNeverSent() throws Exception {
		DeliveryEngine engine = engine(1, Duration.ofSeconds(10), this.deadLetters);
		Outcomes outcomes = new Outcomes();
		outcomes.send(engine, "evt-in-flight");
		await().atMost(TIMEOUT).until(() -> this.servers.streaming().requestCount() == 1);
		CompletableFuture<StreamingResult> waiting = engine.send(message("evt-waiting")).toFuture();
		assertThat(engine.shutdown(Duration.ofMillis(100))).isEqualTo(1);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
			.withCauseInstanceOf(StreamingShutdownException.class);
		assertThat(this.deadLetters.eventIds()).containsExactly("evt-in-flight");
		assertThat(engine.getPendingCount()).isZero();
		assertThat(engine.getBufferedCount()).isZero();
		assertThat(this.servers.streaming().requestCount()).isEqualTo(1);
	}

	@Test
	void deadLetterHandlerThatThrowsDoesNotBreakDelivery() throws Exception {
		this.gate.countDown();
		AtomicInteger handled = new AtomicInteger();
		DeliveryEngine engine = engine(10, Duration.ofSeconds(1), (letter) -> {
			handled.incrementAndGet();
			throw new IllegalStateException("dead-letter store unavailable");
		});
		StepVerifier.create(engine.send(message("evt-invalid")))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(StreamingValidationException.class))
			.verify(TIMEOUT);
		assertThat(handled).hasValue(1);
		assertThat(engine.getPendingCount()).isZero();
		assertThat(engine.getBufferedCount()).isZero();
		assertThat(engine.send(message("evt-next")).block(TIMEOUT).xactionId()).isEqualTo("x-evt-next");
		assertThat(engine.isAccepting()).isTrue();
	}

	private MockResponse answerWhenTheGateOpens(RecordedRequest request) {
		try {
			this.gate.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (request.getPath().contains("/collection/batch/")) {
			int messages = AepTestServers.bodyJson(request).path("messages").size();
			return json(207, "{\"inletId\":\"inlet\",\"batchId\":\"b\",\"receivedTimeMs\":1,\"responses\":["
					+ String.join(",", Collections.nCopies(messages, "{\"xactionId\":\"x\"}")) + "]}");
		}
		String id = eventId(request);
		if (id.contains("invalid")) {
			return json(400, "{\"title\":\"Invalid XDM Message Format\",\"report\":{\"message\":\"bad " + id + "\"}}");
		}
		return json(200, "{\"inletId\":\"inlet\",\"xactionId\":\"x-" + id + "\",\"receivedTimeMs\":1}");
	}

	private DeliveryEngine engine(int capacity, Duration maxWait, DeadLetterHandler deadLetterHandler) {
		ResilientExchange exchange = new ResilientExchange("conn", null, null, null, 64, Duration.ofMinutes(1),
				Clock.systemUTC());
		DeliveryEngine engine = new DeliveryEngine(unauthenticatedClient(this.servers), exchange, deadLetterHandler,
				capacity, maxWait, null);
		this.engines.add(engine);
		return engine;
	}

	private static List<CompletableFuture<StreamingResult>> sendAll(DeliveryEngine engine, int count) {
		return IntStream.rangeClosed(1, count).mapToObj((i) -> engine.send(message("evt-" + i)).toFuture()).toList();
	}

	static OutgoingMessage message(String id) {
		StreamingMessage message = StreamingMessage.xdm(Map.of("_id", id, "timestamp", "2026-01-01T00:00:00Z"));
		return new OutgoingMessage(message, WRITER.write(message), false, EventIds.of(message, 0));
	}

	static String eventId(RecordedRequest request) {
		return AepTestServers.bodyJson(request).path("body").path("xdmEntity").path("_id").asString();
	}

	static StreamingHttpClient unauthenticatedClient(AepTestServers servers) {
		WebClient webClient = WebClient.builder()
			.baseUrl(servers.streaming().baseUrl())
			.clientConnector(AepTestServers.connector(Duration.ofSeconds(30)))
			.build();
		return new StreamingHttpClient(webClient, AepTestServers.jsonMapper(), AepTestServers.CONNECTION_ID,
				AepTestServers.SANDBOX, AepTestServers.FLOW_ID, Clock.systemUTC());
	}

	/**
	 * Every signal that the callers of sends heard, by event id.
	 */
	static final class Outcomes {

		private final Map<String, List<Object>> signals = new ConcurrentHashMap<>();

		void send(DeliveryEngine engine, String id) {
			engine.send(message(id)).subscribe((result) -> record(id, result), (ex) -> record(id, ex));
		}

		private void record(String id, Object signal) {
			this.signals.computeIfAbsent(id, (key) -> new CopyOnWriteArrayList<>()).add(signal);
		}

		Map<String, List<Object>> signals() {
			return Map.copyOf(this.signals);
		}

		Map<String, Throwable> failures() {
			Map<String, Throwable> failures = new HashMap<>();
			this.signals.forEach((id, list) -> list.stream()
				.filter(Throwable.class::isInstance)
				.forEach((signal) -> failures.put(id, (Throwable) signal)));
			return failures;
		}

	}

}
