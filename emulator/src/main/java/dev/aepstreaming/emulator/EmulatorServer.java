package dev.aepstreaming.emulator;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Reactor Netty handler of the emulator: receives each request body up to the size
 * limit, routes by path, applies the injected faults, and writes the handler's response.
 * <p>
 * Nothing here blocks: delays are scheduled with {@link Mono#delay(Duration)}, and the
 * handlers run on the event loop that received the request.
 *
 * @author aep-streaming
 */
final class EmulatorServer implements BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> {

	private static final String BATCH_PREFIX = "/collection/batch/";

	private static final String SINGLE_PREFIX = "/collection/";

	private final Clock clock;

	private final int maxRequestBytes;

	private final EmulatorFaults faults;

	private final ImsTokenHandler tokenHandler;

	private final StreamingHandler streamingHandler;

	private final ControlHandler controlHandler;

	private final EmulatorRecorder recorder;

	EmulatorServer(Clock clock, int maxRequestBytes, EmulatorFaults faults, ImsTokenHandler tokenHandler,
			StreamingHandler streamingHandler, ControlHandler controlHandler, EmulatorRecorder recorder) {
		this.clock = clock;
		this.maxRequestBytes = maxRequestBytes;
		this.faults = faults;
		this.tokenHandler = tokenHandler;
		this.streamingHandler = streamingHandler;
		this.controlHandler = controlHandler;
		this.recorder = recorder;
	}

	@Override
	public Publisher<Void> apply(HttpServerRequest request, HttpServerResponse response) {
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		return request.receive()
			.asByteArray()
			.collect(() -> new BodyBuffer(this.maxRequestBytes), BodyBuffer::append)
			.flatMap((body) -> {
				EmulatorRequest emulatorRequest = new EmulatorRequest(request.method().name(), stripTrailingSlash(uri),
						uri.parameters(), request.requestHeaders(), body.bytes(), body.tooLarge(),
						Instant.now(this.clock));
				return handle(emulatorRequest, response);
			});
	}

	private Mono<Void> handle(EmulatorRequest request, HttpServerResponse response) {
		String path = request.path();
		if (path.equals("/ims/token/v3") || path.equals("/ims/token/v2")) {
			return withFaults(EmulatorEndpoint.TOKEN, request, response, () -> this.tokenHandler.handle(request));
		}
		if (path.startsWith(BATCH_PREFIX) && isConnectionId(path.substring(BATCH_PREFIX.length()))) {
			String connectionId = path.substring(BATCH_PREFIX.length());
			return withFaults(EmulatorEndpoint.BATCH, request, response,
					() -> this.streamingHandler.handle(request, EmulatorEndpoint.BATCH, connectionId));
		}
		if (path.startsWith(SINGLE_PREFIX) && isConnectionId(path.substring(SINGLE_PREFIX.length()))
				&& !path.equals("/collection/batch")) {
			String connectionId = path.substring(SINGLE_PREFIX.length());
			return withFaults(EmulatorEndpoint.SINGLE, request, response,
					() -> this.streamingHandler.handle(request, EmulatorEndpoint.SINGLE, connectionId));
		}
		if (path.equals("/emulator") || path.startsWith("/emulator/")) {
			return send(response, this.controlHandler.handle(request));
		}
		ObjectNode body = Json.object();
		body.put("error", "not_found");
		body.put("message", "No emulated endpoint at " + path);
		return send(response, EmulatorResponse.json(404, body));
	}

	private Mono<Void> withFaults(EmulatorEndpoint endpoint, EmulatorRequest request, HttpServerResponse response,
			Supplier<EmulatorResponse> handler) {
		FaultDecision decision = this.faults.decide(endpoint);
		Mono<Void> action = switch (decision.kind()) {
			case PROCEED -> Mono.defer(() -> send(response, handler.get()));
			case ERROR -> Mono.defer(() -> send(response, faultResponse(endpoint, request, decision)));
			case DROP -> Mono.defer(() -> drop(endpoint, request, response));
		};
		return decision.delay().isZero() ? action : Mono.delay(decision.delay()).then(action);
	}

	private EmulatorResponse faultResponse(EmulatorEndpoint endpoint, EmulatorRequest request, FaultDecision decision) {
		int status = decision.status();
		EmulatorResponse response = (endpoint == EmulatorEndpoint.TOKEN) ? tokenFault(request, status)
				: streamingFault(endpoint, request, status);
		long retryAfterSeconds = decision.retryAfter().toSeconds();
		return (retryAfterSeconds > 0) ? response.withHeader("Retry-After", Long.toString(retryAfterSeconds))
				: response;
	}

	private EmulatorResponse tokenFault(EmulatorRequest request, int status) {
		this.tokenHandler.recordFault(request, status);
		return switch (status) {
			case 429 -> EmulatorResponse.json(429, ImsTokenHandler.error("too_many_requests", "too many requests"));
			case 500 -> EmulatorResponse.json(500, ImsTokenHandler.error("server_error", "internal server error"));
			default -> EmulatorResponse.json(status,
					ImsTokenHandler.error("temporarily_unavailable", "service temporarily unavailable"));
		};
	}

	private EmulatorResponse streamingFault(EmulatorEndpoint endpoint, EmulatorRequest request, int status) {
		String title = switch (status) {
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			default -> "Service Unavailable";
		};
		this.recorder.recordRejection(
				new RecordedRejection(endpoint, request.path(), status, "fault_" + status, request.receivedAt()));
		return EmulatorResponse.json(status, Problems.inlet(status, title, "Injected fault: try again later", null));
	}

	private Mono<Void> drop(EmulatorEndpoint endpoint, EmulatorRequest request, HttpServerResponse response) {
		if (endpoint == EmulatorEndpoint.TOKEN) {
			this.tokenHandler.recordFault(request, 0);
		}
		else {
			this.recorder.recordRejection(
					new RecordedRejection(endpoint, request.path(), 0, "fault_dropped", request.receivedAt()));
		}
		return Mono.create((sink) -> response
			.withConnection((connection) -> connection.channel().close().addListener((future) -> sink.success())));
	}

	private static Mono<Void> send(HttpServerResponse response, EmulatorResponse emulatorResponse) {
		response.status(emulatorResponse.status());
		emulatorResponse.headers().forEach(response::header);
		response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(emulatorResponse.body().length));
		return response.sendByteArray(Mono.just(emulatorResponse.body())).then();
	}

	private static boolean isConnectionId(String candidate) {
		return !candidate.isEmpty() && candidate.indexOf('/') < 0;
	}

	private static String stripTrailingSlash(QueryStringDecoder uri) {
		String path = uri.path();
		return (path.length() > 1 && path.endsWith("/")) ? path.substring(0, path.length() - 1) : path;
	}

	/**
	 * Collects a request body, keeping at most the limit: a larger body is drained and
	 * counted, never held in memory.
	 */
	private static final class BodyBuffer {

		private final int limit;

		private final ByteArrayOutputStream content = new ByteArrayOutputStream();

		private long size;

		BodyBuffer(int limit) {
			this.limit = limit;
		}

		void append(byte[] chunk) {
			this.size += chunk.length;
			if (this.size <= this.limit) {
				this.content.write(chunk, 0, chunk.length);
			}
		}

		boolean tooLarge() {
			return this.size > this.limit;
		}

		byte[] bytes() {
			return tooLarge() ? new byte[0] : this.content.toByteArray();
		}

	}

}
