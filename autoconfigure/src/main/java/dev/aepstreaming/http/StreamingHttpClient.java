package dev.aepstreaming.http;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingTimeoutException;
import dev.aepstreaming.StreamingTransportException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
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

	private final RequestTarget singleTarget = new RequestTarget("/collection/{connectionId}", false);

	private final RequestTarget validatedSingleTarget = new RequestTarget("/collection/{connectionId}", true);

	private final RequestTarget batchTarget = new RequestTarget("/collection/batch/{connectionId}", false);

	private Duration responseTimeout = Duration.ofSeconds(30);

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
		this.webClient = webClient.mutate().filter(StreamingHttpClient::startResponseTimer).build();
		this.connectionId = connectionId;
		this.sandboxName = sandboxName;
		this.flowId = StringUtils.hasText(flowId) ? flowId : null;
		this.responseMapper = new AepResponseMapper(jsonMapper, connectionId, sandboxName, clock);
	}

	/**
	 * Set the time allowed for AEP's whole answer to a request, from the moment the
	 * request goes to the connection (its token already attached) to the answer's last
	 * byte. A request that is sent again with a new token after AEP refused the token has
	 * the whole time again, and the time spent obtaining the new token is not counted.
	 * Pauses between the reads of an answer are bounded by the connector's own read
	 * timeout, which may be shorter.
	 * @param responseTimeout the time allowed, 30 seconds by default
	 */
	public void setResponseTimeout(Duration responseTimeout) {
		Assert.notNull(responseTimeout, "'responseTimeout' must not be null");
		Assert.isTrue(!responseTimeout.isNegative() && !responseTimeout.isZero(), "'responseTimeout' must be positive");
		this.responseTimeout = responseTimeout;
	}

	/**
	 * Send one message.
	 * @param body the message's JSON
	 * @param syncValidation whether AEP should validate the message before answering
	 * @return AEP's acknowledgement
	 */
	public Mono<StreamingResult> send(byte[] body, boolean syncValidation) {
		return exchange(syncValidation ? this.validatedSingleTarget : this.singleTarget, body,
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
		return exchange(this.batchTarget, body, (response) -> readBody(response).map((bytes) -> this.responseMapper
			.toBatchResult(response.statusCode().value(), response.headers().asHttpHeaders(), bytes, messageCount)));
	}

	/**
	 * Return the id of the streaming connection this client sends to.
	 * @return the connection id
	 */
	public String getConnectionId() {
		return this.connectionId;
	}

	/**
	 * Exchange once, each request within the response timeout. The timer starts when the
	 * innermost filter passes a request on, so that the time the credential filter spends
	 * obtaining a token is not counted against AEP, and it is applied outside
	 * {@code exchangeToMono} so that it also bounds reading the answer.
	 */
	private <T> Mono<T> exchange(RequestTarget target, byte[] body, Function<ClientResponse, Mono<T>> handler) {
		return Mono.defer(() -> {
			ResponseTimer timer = new ResponseTimer(this.responseTimeout);
			return target.apply(this.webClient.post())
				.contentType(MediaType.APPLICATION_JSON)
				.accept(MediaType.APPLICATION_JSON)
				.headers(this::addConnectionHeaders)
				.attribute(ResponseTimer.ATTRIBUTE, timer)
				.bodyValue(body)
				.exchangeToMono(handler)
				.onErrorMap((ex) -> !(ex instanceof AepStreamingException), this::toTransportFailure)
				.timeout(timer.expiry(), Mono.error(this::responseTimeoutFailure));
		});
	}

	private static Mono<ClientResponse> startResponseTimer(ClientRequest request, ExchangeFunction next) {
		return Mono.defer(() -> {
			ResponseTimer.start(request);
			return next.exchange(request);
		});
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

	private StreamingTimeoutException responseTimeoutFailure() {
		return new StreamingTimeoutException(
				"AEP did not complete its answer within " + this.responseTimeout.toMillis() + " ms on connection '"
						+ this.connectionId + "'. AEP may have accepted the message; raise "
						+ "aep.streaming.response-timeout if AEP is slow, for example with synchronous validation.",
				null);
	}

	private AepStreamingException toTransportFailure(Throwable ex) {
		if (causedBy(ex, ConnectTimeoutException.class)) {
			return new StreamingTimeoutException("Could not connect to AEP in time on connection '" + this.connectionId
					+ "' (" + ex + "); check the network, or raise aep.streaming.connect-timeout.", ex);
		}
		if (causedBy(ex, ReadTimeoutException.class)) {
			return new StreamingTimeoutException(
					"AEP sent no data for longer than the read timeout on connection '" + this.connectionId + "' (" + ex
							+ "). AEP may have accepted the message; raise "
							+ "aep.streaming.read-timeout if AEP is slow, for example with synchronous validation.",
					ex);
		}
		if (causedBy(ex, TimeoutException.class) || causedBy(ex, io.netty.handler.timeout.TimeoutException.class)) {
			return new StreamingTimeoutException("AEP did not answer in time on connection '" + this.connectionId
					+ "' (" + ex + "). AEP may have accepted the message; raise aep.streaming.response-timeout if "
					+ "AEP is slow.", ex);
		}
		ProxyConnectException proxyFailure = cause(ex, ProxyConnectException.class);
		if (proxyFailure != null) {
			// Netty reports the proxy's refusal as "status: 407 Proxy Authentication
			// Required";
			// sending again with the same credentials would only be refused again.
			boolean refusedCredentials = String.valueOf(proxyFailure.getMessage()).contains("status: 407");
			return new StreamingTransportException(
					"The HTTP proxy did not open a tunnel to AEP on connection '" + this.connectionId + "' ("
							+ proxyFailure.getMessage() + ")"
							+ (refusedCredentials
									? "; it refused the credentials, check aep.streaming.proxy.username and "
											+ "aep.streaming.proxy.password"
									: "; check aep.streaming.proxy.host and aep.streaming.proxy.port"),
					!refusedCredentials, ex);
		}
		return new StreamingTransportException(
				"Could not exchange with AEP on connection '" + this.connectionId + "': " + ex, true, ex);
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		return cause(ex, type) != null;
	}

	private static <E extends Throwable> @Nullable E cause(Throwable ex, Class<E> type) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return "StreamingHttpClient[connectionId=" + this.connectionId + ", sandboxName=" + this.sandboxName + "]";
	}

	/**
	 * One of the URIs this client sends to. It is resolved once, against the
	 * {@code WebClient}'s base URL through its {@code UriBuilderFactory}, and reused as
	 * it is afterwards: expanding and encoding the URI template for every send took about
	 * a twentieth of the event loops' time in the benchmarks, for a URI that never
	 * changes.
	 */
	private final class RequestTarget {

		private final String path;

		private final boolean syncValidation;

		@Nullable private volatile URI resolved;

		RequestTarget(String path, boolean syncValidation) {
			this.path = path;
			this.syncValidation = syncValidation;
		}

		WebClient.RequestBodySpec apply(WebClient.RequestBodyUriSpec request) {
			URI uri = this.resolved;
			if (uri != null) {
				return request.uri(uri);
			}
			return request.uri((builder) -> {
				builder.path(this.path);
				if (this.syncValidation) {
					builder.queryParam("syncValidation", "true");
				}
				URI built = builder.build(StreamingHttpClient.this.connectionId);
				this.resolved = built;
				return built;
			});
		}

	}

}
