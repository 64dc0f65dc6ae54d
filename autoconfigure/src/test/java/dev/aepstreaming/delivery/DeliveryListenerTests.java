package dev.aepstreaming.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.BatchMessageResult;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingShutdownException;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.delivery.DeliveryListener.RequestKind;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.json;
import static dev.aepstreaming.delivery.DeliveryEngineTests.eventId;
import static dev.aepstreaming.delivery.DeliveryEngineTests.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for what a {@link DeliveryEngine} reports to its {@link DeliveryListener}s,
 * against a streaming server on loopback.
 *
 * @author aep-streaming
 */
class DeliveryListenerTests {

	private AepTestServers servers;

	private final RecordingListener listener = new RecordingListener();

	private final AtomicInteger serverErrorsLeft = new AtomicInteger();

	private final CountDownLatch gate = new CountDownLatch(1);

	private volatile boolean gated;

	private volatile String batchAnswer = "{\"inletId\":\"inlet\",\"batchId\":\"b\",\"receivedTimeMs\":1,\"responses\":["
			+ "{\"xactionId\":\"x-1\"},{\"statusCode\":400,\"message\":\"unknown xdm format\"},"
			+ "{\"xactionId\":\"x-3\"}]}";

	private DeliveryEngine engine;

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
		this.servers.streaming().respond(this::answer);
	}

	@AfterEach
	void stopServers() {
		this.gate.countDown();
		if (this.engine != null) {
			this.engine.shutdown(Duration.ofSeconds(5));
		}
		this.servers.close();
	}

	@Test
	void acknowledgedSendIsReportedAsOneSuccessfulRequestAndOneAcknowledgedMessage() {
		DeliveryEngine engine = engine(10);
		assertThat(engine.send(message("evt-1")).block(TIMEOUT).statusCode()).isEqualTo(200);
		assertThat(this.listener.requests()).singleElement().satisfies((request) -> {
			assertThat(request.kind()).isEqualTo(RequestKind.SINGLE);
			assertThat(request.messageCount()).isOne();
			assertThat(request.duration()).isPositive();
			assertThat(request.statusCode()).isEqualTo(200);
			assertThat(request.failure()).isNull();
		});
		assertThat(this.listener.deliveries()).containsExactly(new Delivered(1, 200, true));
		assertThat(this.listener.retries()).isEmpty();
	}

	@Test
	void refusedSendIsReportedWithAepsStatusAndIsNotRetried() {
		DeliveryEngine engine = engine(10);
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> engine.send(message("evt-invalid")).block(TIMEOUT));
		assertThat(this.listener.requests()).singleElement().satisfies((request) -> {
			assertThat(request.statusCode()).isEqualTo(400);
			assertThat(request.failure()).isInstanceOf(StreamingValidationException.class);
		});
		assertThat(this.listener.deliveries()).containsExactly(new Delivered(1, 400, false));
		assertThat(this.listener.retries()).isEmpty();
	}

	@Test
	void retriedRequestReportsEveryAttemptAndEveryRetry() {
		this.serverErrorsLeft.set(2);
		DeliveryEngine engine = engine(10);
		assertThat(engine.send(message("evt-1")).block(TIMEOUT).statusCode()).isEqualTo(200);
		assertThat(this.listener.requests()).extracting(Request::statusCode).containsExactly(503, 503, 200);
		assertThat(this.listener.requests()).extracting(Request::failure)
			.satisfiesExactly((failure) -> assertThat(failure).isInstanceOf(StreamingServerException.class),
					(failure) -> assertThat(failure).isInstanceOf(StreamingServerException.class),
					(failure) -> assertThat(failure).isNull());
		assertThat(this.listener.retries()).containsExactly(1, 2);
		assertThat(this.listener.deliveries()).containsExactly(new Delivered(1, 200, true));
	}

	@Test
	void explicitBatchIsReportedAsOneBatchRequestAndEachMessageWithItsOwnStatus() {
		DeliveryEngine engine = engine(10);
		BatchResult result = engine.sendBatch(List.of(message("b-1"), message("b-invalid"), message("b-3")))
			.block(TIMEOUT);
		assertThat(result.failures()).hasSize(1);
		assertThat(this.listener.requests()).singleElement().satisfies((request) -> {
			assertThat(request.kind()).isEqualTo(RequestKind.BATCH);
			assertThat(request.messageCount()).isEqualTo(3);
			assertThat(request.statusCode()).isEqualTo(207);
			assertThat(request.failure()).isNull();
		});
		assertThat(this.listener.deliveries()).containsExactlyInAnyOrder(new Delivered(1, 200, true),
				new Delivered(1, 400, false), new Delivered(1, 200, true));
	}

	@Test
	void explicitBatchThatAepRefusesEntirelyLeavesTheLastAcknowledgementUnset() {
		this.batchAnswer = "{\"inletId\":\"inlet\",\"batchId\":\"b\",\"receivedTimeMs\":1,\"responses\":["
				+ "{\"statusCode\":400,\"message\":\"unknown xdm format\"},"
				+ "{\"statusCode\":400,\"message\":\"unknown xdm format\"}]}";
		DeliveryEngine engine = engine(10);
		BatchResult refused = engine.sendBatch(List.of(message("b-1"), message("b-2"))).block(TIMEOUT);
		assertThat(refused.results()).noneMatch(BatchMessageResult::isSuccess);
		assertThat(engine.getLastAcknowledged()).isNull();
		assertThat(this.listener.deliveries()).containsExactly(new Delivered(1, 400, false),
				new Delivered(1, 400, false));
		assertThat(engine.send(message("evt-1")).block(TIMEOUT).statusCode()).isEqualTo(200);
		assertThat(engine.getLastAcknowledged()).isNotNull();
	}

	@Test
	void sendRefusedWhenShutdownBeginsIsNotReportedAsDelivered() throws Exception {
		this.gated = true;
		DeliveryEngine engine = engine(1);
		CompletableFuture<StreamingResult> inFlight = engine.send(message("evt-in-flight")).toFuture();
		await().atMost(TIMEOUT).until(() -> this.servers.streaming().requestCount() == 1);
		CompletableFuture<StreamingResult> waiting = engine.send(message("evt-waiting")).toFuture();
		assertThat(engine.shutdown(Duration.ofMillis(100))).isOne();
		assertThat(inFlight).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(StreamingShutdownException.class);
		assertThat(waiting).failsWithin(TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(StreamingShutdownException.class);
		assertThat(this.listener.deliveries()).as("only the accepted message reached an end")
			.containsExactly(new Delivered(1, 0, false));
	}

	@Test
	void listenerThatThrowsDoesNotBreakDeliveryOrTheOtherListeners() {
		DeliveryEngine engine = engine(10);
		engine.addListener(new DeliveryListener() {

			@Override
			public void delivered(int messageCount, int statusCode, boolean acknowledged) {
				throw new IllegalStateException("metrics backend down");
			}

		});
		RecordingListener second = new RecordingListener();
		engine.addListener(second);
		assertThat(engine.send(message("evt-1")).block(TIMEOUT).statusCode()).isEqualTo(200);
		assertThat(second.deliveries()).containsExactly(new Delivered(1, 200, true));
		assertThat(engine.getPendingCount()).isZero();
		assertThat(engine.getBufferedCount()).isZero();
	}

	private DeliveryEngine engine(int capacity) {
		Retry retry = Retry.of("conn",
				RetryConfig.custom()
					.maxAttempts(3)
					.waitDuration(Duration.ofMillis(5))
					.retryOnException((ex) -> ex instanceof AepStreamingException failure && failure.isRetryable())
					.build());
		ResilientExchange exchange = new ResilientExchange("conn", retry, null, null, 64, Duration.ofMinutes(1),
				Clock.systemUTC());
		this.engine = new DeliveryEngine(DeliveryEngineTests.unauthenticatedClient(this.servers), exchange,
				new RecordingDeadLetterHandler(), capacity, Duration.ofSeconds(10), null);
		this.engine.addListener(this.listener);
		return this.engine;
	}

	private MockResponse answer(RecordedRequest request) {
		if (this.gated) {
			awaitGate();
		}
		if (request.getPath().contains("/collection/batch/")) {
			return json(207, this.batchAnswer);
		}
		if (this.serverErrorsLeft.getAndDecrement() > 0) {
			return json(503, "{\"title\":\"Service Unavailable\"}").setHeader("Retry-After", "0");
		}
		String id = eventId(request);
		if (id.contains("invalid")) {
			return json(400, "{\"title\":\"Invalid XDM Message Format\",\"report\":{\"message\":\"bad " + id + "\"}}");
		}
		return json(200, "{\"inletId\":\"inlet\",\"xactionId\":\"x-" + id + "\",\"receivedTimeMs\":1}");
	}

	private void awaitGate() {
		try {
			this.gate.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	record Request(RequestKind kind, int messageCount, Duration duration, int statusCode,
			@Nullable AepStreamingException failure) {

	}

	record Delivered(int messageCount, int statusCode, boolean acknowledged) {

	}

	/**
	 * A listener that keeps every call, in order.
	 */
	static final class RecordingListener implements DeliveryListener {

		private final Queue<Request> requests = new ConcurrentLinkedQueue<>();

		private final Queue<Integer> retries = new ConcurrentLinkedQueue<>();

		private final Queue<Delivered> deliveries = new ConcurrentLinkedQueue<>();

		@Override
		public void requestCompleted(RequestKind kind, int messageCount, Duration duration, int statusCode,
				@Nullable AepStreamingException failure) {
			this.requests.add(new Request(kind, messageCount, duration, statusCode, failure));
		}

		@Override
		public void retrying(int attempt, Throwable failure) {
			this.retries.add(attempt);
		}

		@Override
		public void delivered(int messageCount, int statusCode, boolean acknowledged) {
			this.deliveries.add(new Delivered(messageCount, statusCode, acknowledged));
		}

		List<Request> requests() {
			return List.copyOf(this.requests);
		}

		List<Integer> retries() {
			return List.copyOf(this.retries);
		}

		List<Delivered> deliveries() {
			return List.copyOf(this.deliveries);
		}

	}

}
