package dev.aepstreaming.http;

import java.time.Clock;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingTimeoutException;
import dev.aepstreaming.StreamingTransportException;
import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends JSON bodies to one AEP streaming connection: {@code POST /collection/{id}} for a
 * single message and {@code POST /collection/batch/{id}} for a batch, with the
 * connection's headers ({@code x-sandbox-name}, and {@code x-adobe-flow-id} that HTTP API
 * dataflows require). Credentials are added by the {@link WebClient}'s filters, see
 * {@link ImsBearerExchangeFilterFunction}.
 * <p>
 * Every failure reaches the caller as an {@link AepStreamingException}: AEP's error
 * answers as typed exceptions with AEP's report, timeouts as
 * {@link StreamingTimeoutException}, connection failures as
 * {@link StreamingTransportException}.
 *
 * @author aep-streaming
 */
public final class StreamingHttpClient {

	/**
	 * The header that names the sandbox.
	 */
	public static final String SANDBOX_HEADER = "x-sandbox-name";

	/**
	 * The header that names the HTTP API dataflow.
	 */
	public static final String FLOW_ID_HEADER = "x-adobe-flow-id";

	private final WebClient webClient;

	private final String connectionId;

	private final String sandboxName;

	@Nullable private final String flowId;

	private final AepResponseMapper responseMapper;

	/**
	 * Create a new client.
	 * @param webClient the client, with the streaming base URL and the credential filter
	 * @param jsonMapper the mapper that reads AEP's answers
	 * @param connectionId the streaming connection's id (its inlet id)
	 * @param sandboxName the sandbox, sent as {@code x-sandbox-name}
	 * @param flowId the dataflow id, sent as {@code x-adobe-flow-id} when not empty
	 * @param clock the clock that {@code Retry-After} dates are measured against
	 */
	public StreamingHttpClient(WebClient webClient, JsonMapper jsonMapper, String connectionId, String sandboxName,
			@Nullable String flowId, Clock clock) {
		Assert.notNull(webClient, "'webClient' must not be null");
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		Assert.hasText(connectionId, "'connectionId' must not be empty");
		Assert.hasText(sandboxName, "'sandboxName' must not be empty");
		Assert.notNull(clock, "'clock' must not be null");
		this.webClient = webClient;
		this.connectionId = connectionId;
		this.sandboxName = sandboxName;
		this.flowId = StringUtils.hasText(flowId) ? flowId : null;
		this.responseMapper = new AepResponseMapper(jsonMapper, connectionId, sandboxName, clock);
	}

	/**
	 * Send one message.
	 * @param body the message's JSON
	 * @param syncValidation whether AEP should validate the message before answering
	 * @return AEP's acknowledgement
	 */
	public Mono<StreamingResult> send(byte[] body, boolean syncValidation) {
		return exchange("/collection/{connectionId}", body, syncValidation,
				(response) -> readBody(response).map((bytes) -> this.responseMapper
					.toStreamingResult(response.statusCode().value(), response.headers().asHttpHeaders(), bytes)));
	}

	/**
	 * Send a batch of messages.
	 * @param body the batch's JSON, {@code {"messages":[…]}}
	 * @param messageCount how many messages the batch holds
	 * @return AEP's per-message results, in the batch's order
	 */
	public Mono<BatchResult> sendBatch(byte[] body, int messageCount) {
		return exchange("/collection/batch/{connectionId}", body, false,
				(response) -> readBody(response)
					.map((bytes) -> this.responseMapper.toBatchResult(response.statusCode().value(),
							response.headers().asHttpHeaders(), bytes, messageCount)));
	}

	/**
	 * Return the id of the streaming connection this client sends to.
	 * @return the connection id
	 */
	public String getConnectionId() {
		return this.connectionId;
	}

	private <T> Mono<T> exchange(String path, byte[] body, boolean syncValidation,
			Function<ClientResponse, Mono<T>> handler) {
		return this.webClient.post().uri((uri) -> {
			uri.path(path);
			if (syncValidation) {
				uri.queryParam("syncValidation", "true");
			}
			return uri.build(this.connectionId);
		})
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.headers(this::addConnectionHeaders)
			.bodyValue(body)
			.exchangeToMono(handler)
			.onErrorMap((ex) -> !(ex instanceof AepStreamingException), this::toTransportFailure);
	}

	private void addConnectionHeaders(HttpHeaders headers) {
		headers.set(SANDBOX_HEADER, this.sandboxName);
		if (this.flowId != null) {
			headers.set(FLOW_ID_HEADER, this.flowId);
		}
	}

	private static Mono<byte[]> readBody(ClientResponse response) {
		return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]);
	}

	private AepStreamingException toTransportFailure(Throwable ex) {
		if (isTimeout(ex)) {
			return new StreamingTimeoutException("AEP did not answer in time on connection '" + this.connectionId
					+ "' (" + ex + "). AEP may have accepted the message; raise aep.streaming.response-timeout if "
					+ "AEP is slow, for example with synchronous validation.", ex);
		}
		return new StreamingTransportException(
				"Could not exchange with AEP on connection '" + this.connectionId + "': " + ex, true, ex);
	}

	private static boolean isTimeout(Throwable ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof TimeoutException || candidate instanceof ConnectTimeoutException
					|| candidate instanceof io.netty.handler.timeout.TimeoutException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "StreamingHttpClient[connectionId=" + this.connectionId + ", sandboxName=" + this.sandboxName + "]";
	}

}
