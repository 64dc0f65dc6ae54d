package dev.aepstreaming.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.json;
import static dev.aepstreaming.delivery.DeliveryEngineTests.eventId;
import static dev.aepstreaming.delivery.DeliveryEngineTests.message;
import static dev.aepstreaming.delivery.DeliveryEngineTests.unauthenticatedClient;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AutoBatcher}, through a {@link DeliveryEngine} that batches, against a
 * streaming server on loopback that answers each batch with one result per message.
 *
 * @author aep-streaming
 */
class AutoBatcherTests {

	private static final String BATCH_PATH = "/collection/batch/" + AepTestServers.CONNECTION_ID;

	private static final String SINGLE_PATH = "/collection/" + AepTestServers.CONNECTION_ID;

	private AepTestServers servers;

	private final RecordingDeadLetterHandler deadLetters = new RecordingDeadLetterHandler();

	private final Map<String, String> batchOutcomes = new ConcurrentHashMap<>();

	private final AtomicInteger batchFailures = new AtomicInteger();

	private final List<DeliveryEngine> engines = new ArrayList<>();

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
		this.servers.streaming().respond(this::answer);
	}

	@AfterEach
	void stopServers() {
		this.engines.forEach((engine) -> engine.shutdown(Duration.ofSeconds(5)));
		this.servers.close();
	}

	@Test
	void singleSendsAreGatheredIntoBatchesOfAtMostMaxMessages() {
		DeliveryEngine engine = engine(new DeliveryEngine.Batching(20, 1_000_000, Duration.ofSeconds(1), 4));
		Map<String, StreamingResult> results = sendAll(engine, ids(50));
		assertThat(batchSizes()).containsExactlyInAnyOrder(20, 20, 10);
		assertThat(requests(SINGLE_PATH)).isEmpty();
		assertThat(results).hasSize(50)
			.allSatisfy((id, result) -> assertThat(result.xactionId()).isEqualTo("batch-" + id));
		assertThat(this.deadLetters.letters()).isEmpty();
	}

	@Test
	void batchIsSplitSoThatNoRequestExceedsMaxBytes() {
		List<String> ids = ids(12);
		int maxBytes = StreamingMessageWriter
			.batchSize(ids.subList(0, 5).stream().map((id) -> message(id).json()).toList());
		DeliveryEngine engine = engine(new DeliveryEngine.Batching(12, maxBytes, Duration.ofSeconds(1), 4));
		Map<String, StreamingResult> results = sendAll(engine, ids);
		assertThat(batchSizes()).containsExactlyInAnyOrder(5, 5, 2);
		assertThat(requests(BATCH_PATH))
			.allSatisfy((request) -> assertThat(request.getBodySize()).isBetween(1L, (long) maxBytes));
		assertThat(results).hasSize(12);
	}

	@Test
	void partialBatchIsSentOnceItsFirstMessageHasLingered() {
		DeliveryEngine engine = engine(new DeliveryEngine.Batching(20, 1_000_000, Duration.ofMillis(300), 4));
		long start = System.nanoTime();
		Map<String, StreamingResult> results = sendAll(engine, ids(3));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(batchSizes()).containsExactly(3);
		assertThat(results).hasSize(3);
	}

	@Test
	void messageThatAepAsksToRetryIsSentAgainAloneAndSucceeds() {
		this.batchOutcomes.put("evt-03", "{\"statusCode\":503,\"message\":\"Service Unavailable\"}");
		this.batchOutcomes.put("evt-07", "{\"status\":429,\"message\":\"Too Many Requests\"}");
		DeliveryEngine engine = engine(new DeliveryEngine.Batching(10, 1_000_000, Duration.ofSeconds(1), 4));
		Map<String, StreamingResult> results = sendAll(engine, ids(10));
		assertThat(batchSizes()).containsExactly(10);
		assertThat(requests(SINGLE_PATH)).extracting(DeliveryEngineTests::eventId)
			.containsExactlyInAnyOrder("evt-03", "evt-07");
		assertThat(results).hasSize(10);
		assertThat(results.get("evt-03").xactionId()).isEqualTo("single-evt-03");
		assertThat(results.get("evt-07").xactionId()).isEqualTo("single-evt-07");
		assertThat(results.get("evt-04").xactionId()).isEqualTo("batch-evt-04");
		assertThat(this.deadLetters.letters()).isEmpty();
	}

	@Test
	void messageThatAepRefusesFailsOnlyItsOwnCallerWithAepsExplanation() {
		String explanation = "inletId: [" + AepTestServers.CONNECTION_ID + "] Missing required field header.datasetId";
		this.batchOutcomes.put("evt-05", "{\"statusCode\":400,\"message\":\"" + explanation + "\"}");
		DeliveryEngine engine = engine(new DeliveryEngine.Batching(10, 1_000_000, Duration.ofSeconds(1), 4));
		Map<String, Object> outcomes = new ConcurrentHashMap<>();
		StepVerifier
			.create(Flux.fromIterable(ids(10))
				.flatMap((id) -> engine.send(message(id))
					.doOnNext((result) -> outcomes.put(id, result))
					.doOnError((ex) -> outcomes.put(id, ex))
					.onErrorComplete()))
			.expectNextCount(9)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(outcomes.get("evt-05")).isInstanceOfSatisfying(StreamingValidationException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(400);
			assertThat(ex.getMessage()).contains("evt-05").contains(explanation);
		});
		assertThat(outcomes).hasSize(10)
			.allSatisfy((id, outcome) -> assertThat(outcome)
				.isInstanceOf(id.equals("evt-05") ? StreamingValidationException.class : StreamingResult.class));
		assertThat(this.deadLetters.letters()).singleElement().satisfies((letter) -> {
			assertThat(letter.eventId()).isEqualTo("evt-05");
			assertThat(letter.reason()).isSameAs(outcomes.get("evt-05"));
		});
		assertThat(requests(SINGLE_PATH)).isEmpty();
	}

	@Test
	void batchThatFailsAsAWholeIsSentAgainAsAWhole() {
		this.batchFailures.set(1);
		DeliveryEngine engine = engine(new DeliveryEngine.Batching(10, 1_000_000, Duration.ofSeconds(1), 4));
		Map<String, StreamingResult> results = sendAll(engine, ids(10));
		List<RecordedRequest> batches = requests(BATCH_PATH);
		assertThat(batches).hasSize(2);
		assertThat(AepTestServers.body(batches.get(1))).isEqualTo(AepTestServers.body(batches.get(0)));
		assertThat(requests(SINGLE_PATH)).isEmpty();
		assertThat(results).hasSize(10)
			.allSatisfy((id, result) -> assertThat(result.xactionId()).isEqualTo("batch-" + id));
		assertThat(this.deadLetters.letters()).isEmpty();
	}

	@Test
	void messageThatAsksForSynchronousValidationIsSentAlone() {
		DeliveryEngine engine = engine(new DeliveryEngine.Batching(20, 1_000_000, Duration.ofMillis(50), 4));
		StreamingMessage validated = StreamingMessage.xdm(Map.of("_id", "evt-validated")).withSyncValidation(true);
		OutgoingMessage outgoing = new OutgoingMessage(validated, message("evt-validated").json(), true,
				"evt-validated");
		StepVerifier.create(engine.send(outgoing))
			.assertNext((result) -> assertThat(result.xactionId()).isEqualTo("single-evt-validated"))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(requests(SINGLE_PATH + "?syncValidation=true")).hasSize(1);
		assertThat(requests(BATCH_PATH)).isEmpty();
	}

	private MockResponse answer(RecordedRequest request) {
		String path = request.getPath();
		if (path.startsWith(BATCH_PATH)) {
			if (this.batchFailures.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
				return json(503, "{\"title\":\"Service Unavailable\"}");
			}
			List<String> entries = new ArrayList<>();
			for (JsonNode message : AepTestServers.bodyJson(request).path("messages")) {
				String id = message.path("body").path("xdmEntity").path("_id").asString();
				entries.add(this.batchOutcomes.getOrDefault(id, "{\"xactionId\":\"batch-" + id + "\"}"));
			}
			return json(207, "{\"inletId\":\"inlet\",\"batchId\":\"b\",\"receivedTimeMs\":1,\"responses\":["
					+ String.join(",", entries) + "]}");
		}
		return json(200,
				"{\"inletId\":\"inlet\",\"xactionId\":\"single-" + eventId(request) + "\",\"receivedTimeMs\":1}");
	}

	private List<RecordedRequest> requests(String path) {
		return this.servers.streaming()
			.requests()
			.stream()
			.filter((request) -> path.contains("?") ? path.equals(request.getPath())
					: path.equals(request.getPath().split("\\?")[0]))
			.toList();
	}

	private List<Integer> batchSizes() {
		return requests(BATCH_PATH).stream()
			.map((request) -> AepTestServers.bodyJson(request).path("messages").size())
			.toList();
	}

	private static Map<String, StreamingResult> sendAll(DeliveryEngine engine, List<String> ids) {
		Map<String, StreamingResult> results = new ConcurrentHashMap<>();
		Flux.fromIterable(ids)
			.flatMap((id) -> engine.send(message(id)).doOnNext((result) -> results.put(id, result)))
			.then()
			.block(TIMEOUT);
		return results;
	}

	private static List<String> ids(int count) {
		return IntStream.rangeClosed(1, count).mapToObj((i) -> "evt-%02d".formatted(i)).toList();
	}

	private DeliveryEngine engine(DeliveryEngine.Batching batching) {
		Retry retry = Retry.of("test",
				RetryConfig.custom()
					.maxAttempts(3)
					.intervalBiFunction(new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(2), 2.0))
					.retryOnException((ex) -> ex instanceof AepStreamingException failure && failure.isRetryable())
					.build());
		ResilientExchange exchange = new ResilientExchange("conn", retry, null, null, 64, Duration.ofMinutes(1),
				Clock.systemUTC());
		DeliveryEngine engine = new DeliveryEngine(unauthenticatedClient(this.servers), exchange, this.deadLetters,
				1_000, Duration.ofSeconds(1), batching);
		this.engines.add(engine);
		return engine;
	}

}
