package dev.aepstreaming.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bare streaming endpoint on {@code 127.0.0.1} that answers at once with AEP's JSON:
 * {@code 200 {"inletId","xactionId","receivedTimeMs","syncValidation"}} for {@code POST
 * /collection/{id}} and {@code 207} with one entry per message for {@code POST
 * /collection/batch/{id}}. A request without a bearer token is answered {@code 401}.
 * Unlike the emulator it neither verifies tokens nor validates XDM, so that the server's
 * share of the machine stays small and equal for every client compared.
 * <p>
 * It runs on event-loop threads of its own, named {@value #THREAD_PREFIX}…, so that the
 * allocation of client threads can be told from the server's. Its answers can be held
 * back with {@link #hold()} until {@link #release()}, to keep sends pending.
 *
 * @author aep-streaming
 */
final class LoopbackAep implements AutoCloseable {

	static final String THREAD_PREFIX = "bench-server";

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private static final JsonMapper jsonMapper = new JsonMapper();

	private final LoopResources loops = LoopResources.create(THREAD_PREFIX, 1, 2, true);

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong messages = new AtomicLong();

	private final AtomicLong unauthorized = new AtomicLong();

	private final AtomicLong transactions = new AtomicLong();

	private volatile Sinks.Empty<Void> gate;

	private final DisposableServer server;

	LoopbackAep() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).runOn(this.loops).handle(this::handle).bindNow();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	long requestCount() {
		return this.requests.get();
	}

	long messageCount() {
		return this.messages.get();
	}

	long unauthorizedCount() {
		return this.unauthorized.get();
	}

	void hold() {
		this.gate = Sinks.empty();
	}

	void release() {
		Sinks.Empty<Void> current = this.gate;
		this.gate = null;
		if (current != null) {
			current.tryEmitEmpty();
		}
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		this.requests.incrementAndGet();
		String authorization = request.requestHeaders().get("Authorization");
		if (authorization == null || !authorization.startsWith("Bearer ")) {
			this.unauthorized.incrementAndGet();
			return request.receive()
				.then(respond(response, HttpResponseStatus.UNAUTHORIZED,
						"{\"type\":\"https://ns.adobe.com/aep/errors/EXEG-0500-401\",\"status\":\"401\","
								+ "\"title\":\"Authorization token missing or invalid\"}"));
		}
		String path = request.path();
		int slash = path.lastIndexOf('/');
		String connectionId = path.substring(slash + 1);
		if (path.startsWith("collection/batch/")) {
			return request.receive()
				.aggregate()
				.asByteArray()
				.flatMap((body) -> respond(response, HttpResponseStatus.MULTI_STATUS, batchAnswer(connectionId, body)));
		}
		this.messages.incrementAndGet();
		return request.receive()
			.then(Mono.defer(() -> respond(response, HttpResponseStatus.OK,
					"{\"inletId\":\"" + connectionId + "\",\"xactionId\":\"" + nextTransaction()
							+ "\",\"receivedTimeMs\":" + System.currentTimeMillis()
							+ ",\"syncValidation\":{\"skipped\":true}}")));
	}

	private String batchAnswer(String connectionId, byte[] body) {
		JsonNode batch = jsonMapper.readTree(body);
		int count = batch.path("messages").size();
		this.messages.addAndGet(count);
		StringBuilder answer = new StringBuilder(64 + count * 48).append("{\"inletId\":\"")
			.append(connectionId)
			.append("\",\"batchId\":\"")
			.append(nextTransaction())
			.append("\",\"receivedTimeMs\":")
			.append(System.currentTimeMillis())
			.append(",\"responses\":[");
		for (int i = 0; i < count; i++) {
			answer.append((i > 0) ? "," : "")
				.append("{\"xactionId\":\"")
				.append(nextTransaction())
				.append("\",\"statusCode\":200}");
		}
		return answer.append("]}").toString();
	}

	private String nextTransaction() {
		return "bench-" + this.transactions.incrementAndGet();
	}

	private Mono<Void> respond(HttpServerResponse response, HttpResponseStatus status, String json) {
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		Sinks.Empty<Void> current = this.gate;
		Mono<Void> wait = (current != null) ? current.asMono() : Mono.empty();
		return wait.then(Mono.defer(() -> response.status(status)
			.header("Content-Type", "application/json")
			.sendByteArray(Mono.just(bytes))
			.then()));
	}

	@Override
	public void close() {
		release();
		this.server.disposeNow(SHUTDOWN_TIMEOUT);
		this.loops.disposeLater(Duration.ZERO, SHUTDOWN_TIMEOUT).block();
	}

}
