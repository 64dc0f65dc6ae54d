package dev.aepstreaming.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

import org.springframework.web.reactive.function.client.WebClient;

import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.json;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the observations of a {@link DeliveryEngine}, against a streaming server on
 * loopback reached through a {@link WebClient} that is observed with the same registry.
 *
 * @author aep-streaming
 */
class DeliveryEngineObservationTests {

	private static final StreamingMessageWriter WRITER = AepTestServers.writer(AepTestServers.envelopeSettings());

	private static final String PAYLOAD_MARKER = "payload-marker-4711";

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final Queue<Observation.Context> stopped = new ConcurrentLinkedQueue<>();

	private AepTestServers servers;

	private DeliveryEngine engine;

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
		this.servers.streaming().respond(DeliveryEngineObservationTests::answer);
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				DeliveryEngineObservationTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	@AfterEach
	void stopServers() {
		if (this.engine != null) {
			this.engine.shutdown(Duration.ofSeconds(5));
		}
		this.servers.close();
	}

	@Test
	void acknowledgedSendIsOneStoppedObservationWithTheDocumentedKeyValues() {
		DeliveryEngine engine = observedEngine();
		engine.setConnectionName("orders");
		assertThat(engine.send(message("evt-1")).block(TIMEOUT).statusCode()).isEqualTo(200);
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("aep.streaming.send", 1)
			.hasObservationWithNameEqualTo("aep.streaming.send")
			.that()
			.hasContextualNameEqualTo("send orders")
			.hasLowCardinalityKeyValue("aep.streaming.connection", "orders")
			.hasLowCardinalityKeyValue("aep.streaming.kind", "single")
			.hasLowCardinalityKeyValue("outcome", "acknowledged")
			.hasLowCardinalityKeyValue("status", "2xx")
			.hasHighCardinalityKeyValue("aep.streaming.connection.id", AepTestServers.CONNECTION_ID)
			.hasHighCardinalityKeyValue("aep.streaming.message.count", "1")
			.hasBeenStarted()
			.hasBeenStopped()
			.doesNotHaveError();
		assertThat(sendContext().getAllKeyValues()).extracting(KeyValue::getKey)
			.containsExactlyInAnyOrder("aep.streaming.connection", "aep.streaming.kind", "outcome", "status",
					"aep.streaming.connection.id", "aep.streaming.message.count");
	}

	@Test
	void refusedSendIsAStoppedObservationWithTheErrorAndTheStatusClass() {
		DeliveryEngine engine = observedEngine();
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> engine.send(message("evt-invalid")).block(TIMEOUT));
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("aep.streaming.send", 1)
			.hasObservationWithNameEqualTo("aep.streaming.send")
			.that()
			.hasLowCardinalityKeyValue("aep.streaming.connection", "default")
			.hasLowCardinalityKeyValue("outcome", "failed")
			.hasLowCardinalityKeyValue("status", "4xx")
			.hasBeenStopped()
			.assertThatError()
			.isInstanceOf(StreamingValidationException.class);
	}

	@Test
	void explicitBatchIsOneObservationOfKindBatch() {
		DeliveryEngine engine = observedEngine();
		engine.sendBatch(List.of(message("b-1"), message("b-2"), message("b-3"))).block(TIMEOUT);
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("aep.streaming.send", 1)
			.hasObservationWithNameEqualTo("aep.streaming.send")
			.that()
			.hasLowCardinalityKeyValue("aep.streaming.kind", "batch")
			.hasLowCardinalityKeyValue("outcome", "acknowledged")
			.hasLowCardinalityKeyValue("status", "2xx")
			.hasHighCardinalityKeyValue("aep.streaming.message.count", "3")
			.hasBeenStopped();
	}

	@Test
	void callersObservationIsTheParentAndTheHttpClientObservationIsAChild() {
		DeliveryEngine engine = observedEngine();
		Observation caller = Observation.start("caller", this.registry);
		engine.send(message("evt-1"))
			.contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, caller))
			.block(TIMEOUT);
		caller.stop();
		assertThat(this.registry).hasObservationWithNameEqualTo("aep.streaming.send")
			.that()
			.hasParentObservationEqualTo(caller);
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("http.client.requests", 1)
			.hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasParentObservationContextMatching((parent) -> "aep.streaming.send".equals(parent.getName()));
	}

	@Test
	void engineWithoutARegistryMakesNoObservation() {
		this.engine = new DeliveryEngine(observedClient(), exchange(), new RecordingDeadLetterHandler(), 10,
				Duration.ofSeconds(1), null);
		this.engine.send(message("evt-1")).block(TIMEOUT);
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("aep.streaming.send", 0)
			.hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.doesNotHaveParentObservation();
	}

	@Test
	void noKeyValueShowsThePayloadOrTheEventId() {
		DeliveryEngine engine = observedEngine();
		engine.send(message("evt-" + PAYLOAD_MARKER)).block(TIMEOUT);
		engine.sendBatch(List.of(message("b-" + PAYLOAD_MARKER), message("b-2"))).block(TIMEOUT);
		assertThat(this.stopped).hasSizeGreaterThanOrEqualTo(4);
		assertThat(this.stopped.stream().flatMap((context) -> context.getAllKeyValues().stream()))
			.allSatisfy((keyValue) -> assertThat(keyValue.getValue()).doesNotContain(PAYLOAD_MARKER)
				.doesNotContain("evt-")
				.doesNotContain("b-2"));
	}

	private Observation.Context sendContext() {
		return this.stopped.stream()
			.filter((context) -> "aep.streaming.send".equals(context.getName()))
			.findFirst()
			.orElseThrow();
	}

	private DeliveryEngine observedEngine() {
		this.engine = new DeliveryEngine(observedClient(), exchange(), new RecordingDeadLetterHandler(), 10,
				Duration.ofSeconds(1), null);
		this.engine.setObservationRegistry(this.registry);
		return this.engine;
	}

	private StreamingHttpClient observedClient() {
		WebClient webClient = WebClient.builder()
			.baseUrl(this.servers.streaming().baseUrl())
			.clientConnector(AepTestServers.connector(Duration.ofSeconds(10)))
			.observationRegistry(this.registry)
			.build();
		return new StreamingHttpClient(webClient, AepTestServers.jsonMapper(), AepTestServers.CONNECTION_ID,
				AepTestServers.SANDBOX, AepTestServers.FLOW_ID, Clock.systemUTC());
	}

	private static ResilientExchange exchange() {
		return new ResilientExchange("conn", null, null, null, 64, Duration.ofMinutes(1), Clock.systemUTC());
	}

	private static OutgoingMessage message(String id) {
		StreamingMessage message = StreamingMessage
			.xdm(Map.of("_id", id, "timestamp", "2026-01-01T00:00:00Z", "note", PAYLOAD_MARKER));
		return new OutgoingMessage(message, WRITER.write(message), false, EventIds.of(message, 0));
	}

	private static MockResponse answer(RecordedRequest request) {
		if (request.getPath().contains("/collection/batch/")) {
			int messages = AepTestServers.bodyJson(request).path("messages").size();
			return json(207, "{\"inletId\":\"inlet\",\"batchId\":\"b\",\"receivedTimeMs\":1,\"responses\":["
					+ String.join(",", Collections.nCopies(messages, "{\"xactionId\":\"x\"}")) + "]}");
		}
		String id = DeliveryEngineTests.eventId(request);
		if (id.contains("invalid")) {
			return json(400, "{\"title\":\"Invalid XDM Message Format\",\"report\":{\"message\":\"bad\"}}");
		}
		return json(200, "{\"inletId\":\"inlet\",\"xactionId\":\"x-1\",\"receivedTimeMs\":1}");
	}

}
