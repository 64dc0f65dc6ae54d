package dev.aepstreaming.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.BatchMessageResult;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.PayloadTooLargeException;
import dev.aepstreaming.StreamingRateLimitedException;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingTimeoutException;
import dev.aepstreaming.StreamingTransportException;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.ims.ImsTokenManager;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.function.client.WebClient;

import static dev.aepstreaming.AepTestServers.CLIENT_ID;
import static dev.aepstreaming.AepTestServers.CONNECTION_ID;
import static dev.aepstreaming.AepTestServers.FLOW_ID;
import static dev.aepstreaming.AepTestServers.ORG_ID;
import static dev.aepstreaming.AepTestServers.SANDBOX;
import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.assertRevealsNoSecret;
import static dev.aepstreaming.AepTestServers.json;
import static dev.aepstreaming.AepTestServers.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StreamingHttpClient} and {@link AepResponseMapper} against a streaming
 * server on loopback.
 *
 * @author aep-streaming
 */
class StreamingHttpClientTests {

	private static final String MESSAGE = "{\"header\":{},\"body\":{\"xdmEntity\":{\"_id\":\"1\"}}}";

	private static final String BATCH = "{\"messages\":[" + MESSAGE + "," + MESSAGE + "]}";

	private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

	private AepTestServers servers;

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
	}

	@AfterEach
	void stopServers() {
		this.servers.close();
	}

	@Test
	void sendsOneMessageToTheCollectionEndpointWithTheConnectionHeaders() {
		this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT);
		RecordedRequest request = this.servers.streaming().onlyRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getPath()).isEqualTo("/collection/" + CONNECTION_ID);
		assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
		assertThat(request.getHeader("x-sandbox-name")).isEqualTo(SANDBOX);
		assertThat(request.getHeader("x-adobe-flow-id")).isEqualTo(FLOW_ID);
		assertThat(request.getHeader("x-api-key")).isEqualTo(CLIENT_ID);
		assertThat(request.getHeader("x-gw-ims-org-id")).isEqualTo(ORG_ID);
		assertThat(AepTestServers.body(request)).isEqualTo(MESSAGE);
	}

	@Test
	void sendsABatchToTheBatchEndpointWithTheConnectionHeaders() {
		this.servers.streaming().respond((request) -> json(207, "{\"responses\":[{},{}]}"));
		this.servers.client().sendBatch(BATCH.getBytes(), 2).block(TIMEOUT);
		RecordedRequest request = this.servers.streaming().onlyRequest();
		assertThat(request.getPath()).isEqualTo("/collection/batch/" + CONNECTION_ID);
		assertThat(request.getHeader("Content-Type")).isEqualTo("application/json");
		assertThat(request.getHeader("x-sandbox-name")).isEqualTo(SANDBOX);
		assertThat(request.getHeader("x-adobe-flow-id")).isEqualTo(FLOW_ID);
		assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + AepTestServers.token(1));
		assertThat(AepTestServers.body(request)).isEqualTo(BATCH);
	}

	@Test
	void omitsTheFlowIdHeaderWhenNoFlowIsConfigured() {
		clientWithoutFlow().send(MESSAGE.getBytes(), false).block(TIMEOUT);
		RecordedRequest request = this.servers.streaming().onlyRequest();
		assertThat(request.getHeader("x-adobe-flow-id")).isNull();
		assertThat(request.getHeader("x-sandbox-name")).isEqualTo(SANDBOX);
	}

	@Test
	void asksForSynchronousValidationInTheQueryWhenAsked() {
		this.servers.client().send(MESSAGE.getBytes(), true).block(TIMEOUT);
		assertThat(this.servers.streaming().onlyRequest().getPath())
			.isEqualTo("/collection/" + CONNECTION_ID + "?syncValidation=true");
	}

	@Test
	void everySendGoesToItsOwnEndpointWhenSingleValidatedAndBatchSendsAlternate() {
		this.servers.streaming()
			.respond((request) -> request.getPath().contains("/batch/") ? json(207, "{\"responses\":[{},{}]}")
					: json(200, "{\"inletId\":\"inlet\",\"xactionId\":\"x\",\"receivedTimeMs\":1}"));
		StreamingHttpClient client = this.servers.client();
		for (int round = 0; round < 3; round++) {
			client.send(MESSAGE.getBytes(), false).block(TIMEOUT);
			client.send(MESSAGE.getBytes(), true).block(TIMEOUT);
			client.sendBatch(BATCH.getBytes(), 2).block(TIMEOUT);
		}
		String single = "/collection/" + CONNECTION_ID;
		List<String> round = List.of(single, single + "?syncValidation=true", "/collection/batch/" + CONNECTION_ID);
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			expected.addAll(round);
		}
		assertThat(this.servers.streaming().requests()).extracting(RecordedRequest::getPath)
			.containsExactlyElementsOf(expected);
	}

	@Test
	void sendsNoQueryWhenSynchronousValidationIsNotAsked() {
		this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT);
		assertThat(this.servers.streaming().onlyRequest().getRequestUrl().query()).isNull();
	}

	@Test
	void mapsAnAcceptedMessageToAStreamingResult() {
		StreamingResult result = this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT);
		assertThat(result)
			.isEqualTo(new StreamingResult(200, CONNECTION_ID, "1584479347507:2153:240", 1584479347507L, true));
		assertRevealsNoSecret(result);
	}

	@Test
	void readsTheInletIdAlsoWhenSpelledInletID() {
		this.servers.streaming()
			.respond((request) -> json(200,
					"{\"inletID\":\"other-inlet\",\"xactionId\":\"x-1\",\"receivedTimeMs\":42}"));
		StreamingResult result = this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT);
		assertThat(result.inletId()).isEqualTo("other-inlet");
		assertThat(result.xactionId()).isEqualTo("x-1");
		assertThat(result.receivedTimeMs()).isEqualTo(42);
	}

	@Test
	void reportsASynchronouslyValidatedMessageAsNotSkipped() {
		this.servers.streaming()
			.respond((request) -> json(200, "{\"inletId\":\"" + CONNECTION_ID
					+ "\",\"xactionId\":\"x-1\",\"receivedTimeMs\":42,\"syncValidation\":{\"status\":\"pass\"}}"));
		StreamingResult result = this.servers.client().send(MESSAGE.getBytes(), true).block(TIMEOUT);
		assertThat(result.syncValidationSkipped()).isFalse();
	}

	@Test
	void mapsBatchResultsInTheCallersOrderWithEitherSpellingOfTheStatus() {
		this.servers.streaming().respond((request) -> json(207, mixedBatchAnswer()));
		BatchResult result = this.servers.client().sendBatch(BATCH.getBytes(), 6).block(TIMEOUT);
		assertThat(result.statusCode()).isEqualTo(207);
		assertThat(result.inletId()).isEqualTo(CONNECTION_ID);
		assertThat(result.batchId()).isEqualTo("b-1");
		assertThat(result.receivedTimeMs()).isEqualTo(1700000000000L);
		assertThat(result.results()).extracting(BatchMessageResult::index).containsExactly(0, 1, 2, 3, 4, 5);
		assertThat(result.results()).extracting(BatchMessageResult::statusCode)
			.containsExactly(200, 400, 503, 429, 200, 501);
		assertThat(result.results()).extracting(BatchMessageResult::xactionId)
			.containsExactly("x-0", null, null, null, "x-4", null);
		assertThat(result.results().get(1).errorMessage()).isEqualTo("Message has unknown xdm format");
		assertThat(result.results().get(0).errorMessage()).isNull();
		assertThat(result.results()).extracting(BatchMessageResult::isRetryable)
			.containsExactly(false, false, true, true, false, false);
		assertThat(result.isAllSuccessful()).isFalse();
		assertThat(result.failures()).extracting(BatchMessageResult::index).containsExactly(1, 2, 3, 5);
	}

	@Test
	void reportsABatchWhoseMessagesAllSucceededAsAllSuccessful() {
		this.servers.streaming()
			.respond((request) -> json(207, "{\"responses\":[{\"xactionId\":\"x-0\"},{\"xactionId\":\"x-1\"}]}"));
		BatchResult result = this.servers.client().sendBatch(BATCH.getBytes(), 2).block(TIMEOUT);
		assertThat(result.isAllSuccessful()).isTrue();
		assertThat(result.failures()).isEmpty();
		assertThat(result.results()).extracting(BatchMessageResult::xactionId).containsExactly("x-0", "x-1");
	}

	@Test
	void marksTheMessagesOfABatchThatAepGaveNoResultForAsFailed() {
		this.servers.streaming().respond((request) -> json(207, "{\"responses\":[{\"xactionId\":\"x-0\"}]}"));
		BatchResult result = this.servers.client().sendBatch(BATCH.getBytes(), 3).block(TIMEOUT);
		assertThat(result.results()).hasSize(3);
		assertThat(result.results()).extracting(BatchMessageResult::statusCode).containsExactly(200, 0, 0);
		assertThat(result.failures()).extracting(BatchMessageResult::index).containsExactly(1, 2);
		assertThat(result.failures())
			.allSatisfy((failure) -> assertThat(failure.errorMessage()).contains("1 results").contains("3 messages"));
		assertThat(result.isAllSuccessful()).isFalse();
	}

	@Test
	void failsWhenABatchAnswerHasNoResponses() {
		this.servers.streaming().respond((request) -> json(207, "{\"inletId\":\"" + CONNECTION_ID + "\"}"));
		assertThatExceptionOfType(StreamingTransportException.class)
			.isThrownBy(() -> this.servers.client().sendBatch(BATCH.getBytes(), 2).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains("responses").contains("2 messages").contains(CONNECTION_ID);
				assertRevealsNoSecret(ex);
			});
	}

	@Test
	void reportsAnInvalidMessageWithAepsReport() {
		String problem = "{\"type\":\"http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet\","
				+ "\"status\":400,\"title\":\"Invalid XDM Message Format\",\"report\":{\"message\":" + "\"inletId: ["
				+ CONNECTION_ID + "] Message has an absent or wrong schemaRef\",\"cause\":{}}}";
		this.servers.streaming().respond((request) -> json(400, problem));
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(400);
				assertThat(ex.getMessage()).contains("Invalid XDM Message Format")
					.contains("Message has an absent or wrong schemaRef");
				assertThat(ex.getReport()).isEqualTo(problem);
				assertThat(ex.isRetryable()).isFalse();
				assertRevealsNoSecret(ex);
			});
	}

	@Test
	void reportsATooLargeRequest() {
		this.servers.streaming().respond((request) -> json(413, "{\"title\":\"Payload too large\"}"));
		assertThatExceptionOfType(PayloadTooLargeException.class)
			.isThrownBy(() -> this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(413);
				assertThat(ex.getLimit()).isEqualTo(1_000_000);
				assertThat(ex.getMessage()).contains("413").contains("Payload too large");
				assertThat(ex.isRetryable()).isFalse();
				assertRevealsNoSecret(ex);
			});
	}

	@Test
	void reportsARateLimitWithTheDelayAepAsked() {
		this.servers.streaming()
			.respond((request) -> json(429, "{\"title\":\"Too Many Requests\"}").setHeader("Retry-After", "3"));
		assertThatExceptionOfType(StreamingRateLimitedException.class)
			.isThrownBy(() -> this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(429);
				assertThat(ex.getRetryAfter()).contains(Duration.ofSeconds(3));
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getMessage()).contains(CONNECTION_ID).contains("Too Many Requests");
				assertRevealsNoSecret(ex);
			});
	}

	@Test
	void reportsARateLimitWithoutADelayWhenAepGaveNone() {
		this.servers.streaming().respond((request) -> json(429, ""));
		assertThatExceptionOfType(StreamingRateLimitedException.class)
			.isThrownBy(() -> this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getRetryAfter()).isEmpty();
				assertThat(ex.isRetryable()).isTrue();
			});
	}

	@Test
	void reportsAServerErrorAsRetryableAfterTheSecondsAepAsked() {
		this.servers.streaming()
			.respond((request) -> json(500, "{\"title\":\"Internal error\"}").setHeader("Retry-After", "7"));
		assertThatExceptionOfType(StreamingServerException.class)
			.isThrownBy(() -> this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(500);
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getRetryAfter()).contains(Duration.ofSeconds(7));
				assertRevealsNoSecret(ex);
			});
	}

	@Test
	void reportsAnUnavailableServiceAsRetryableUntilTheDateAepAsked() {
		StreamingHttpClient client = this.servers.client(this.servers.tokenManager(), FLOW_ID,
				Clock.fixed(NOW, ZoneOffset.UTC));
		this.servers.streaming()
			.respond((request) -> json(503, "").setHeader("Retry-After", "Wed, 01 Jan 2025 00:00:30 GMT"));
		assertThatExceptionOfType(StreamingServerException.class)
			.isThrownBy(() -> client.send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(503);
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getRetryAfter()).contains(Duration.ofSeconds(30));
			});
	}

	@Test
	void reportsUnsupportedSynchronousValidationAsNotRetryable() {
		this.servers.streaming().respond((request) -> json(501, "{\"title\":\"Not Implemented\"}"));
		assertThatExceptionOfType(StreamingServerException.class)
			.isThrownBy(() -> this.servers.client().send(MESSAGE.getBytes(), true).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(501);
				assertThat(ex.isRetryable()).isFalse();
				assertThat(ex.getMessage()).contains("aep.streaming.sync-validation");
			});
	}

	@Test
	void reportsAnErrorPageThatIsNotJsonWithItsText() {
		this.servers.streaming()
			.respond((request) -> new MockResponse().setResponseCode(502)
				.setHeader("Content-Type", "text/html")
				.setBody("<html>\n<head><title>502 Bad Gateway</title></head>\n<body>upstream failed</body>\n</html>"));
		assertThatExceptionOfType(StreamingServerException.class)
			.isThrownBy(() -> this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(502);
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getMessage()).contains("(502)").contains("502 Bad Gateway").doesNotContain("\n");
			});
	}

	@Test
	void reportsAnUnexpectedStatusWithAepsReport() {
		this.servers.streaming().respond((request) -> json(404, "{\"title\":\"Not Found\"}"));
		assertThatExceptionOfType(AepStreamingException.class)
			.isThrownBy(() -> this.servers.client().send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(404);
				assertThat(ex.getMessage()).contains("404").contains("Not Found");
			});
	}

	@Test
	void reportsResponseHeadersThatComeTooLateAsAReadTimeout() {
		this.servers.streaming().respond((request) -> AepTestServers.accepted().setHeadersDelay(3, TimeUnit.SECONDS));
		assertThatExceptionOfType(StreamingTimeoutException.class)
			.isThrownBy(
					() -> clientWithReadTimeout(Duration.ofMillis(300)).send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getMessage()).contains(CONNECTION_ID).contains("aep.streaming.read-timeout");
				assertRevealsNoSecret(ex);
			});
	}

	@Test
	void reportsAResponseBodyThatComesTooLateAsATimeout() {
		this.servers.streaming().respond((request) -> AepTestServers.accepted().setBodyDelay(3, TimeUnit.SECONDS));
		assertThatExceptionOfType(StreamingTimeoutException.class)
			.isThrownBy(
					() -> clientWithReadTimeout(Duration.ofMillis(300)).send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.isRetryable()).isTrue());
	}

	@Test
	void reportsAnAnswerThatTakesLongerThanTheResponseTimeoutAsATimeoutNamingIt() {
		this.servers.streaming()
			.respond((request) -> AepTestServers.accepted().throttleBody(1, 50, TimeUnit.MILLISECONDS));
		StreamingHttpClient client = clientWithReadTimeout(Duration.ofSeconds(5));
		client.setResponseTimeout(Duration.ofMillis(400));
		assertThatExceptionOfType(StreamingTimeoutException.class)
			.isThrownBy(() -> client.send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getMessage()).contains(CONNECTION_ID)
					.contains("aep.streaming.response-timeout")
					.contains("400 ms");
			});
	}

	@Test
	void theResponseTimeoutDoesNotCountTheTimeSpentObtainingAToken() {
		this.servers.ims()
			.respond((request) -> AepTestServers
				.json(200, "{\"access_token\":\"eyJ.ims-token-slow\",\"token_type\":\"bearer\",\"expires_in\":86399}")
				.setHeadersDelay(600, TimeUnit.MILLISECONDS));
		StreamingHttpClient client = clientWithReadTimeout(Duration.ofSeconds(5));
		client.setResponseTimeout(Duration.ofMillis(400));
		assertThat(client.send(MESSAGE.getBytes(), false).block(TIMEOUT).statusCode()).isEqualTo(200);
	}

	@Test
	void theResponseTimeoutDoesNotCountTheTokenRequestThatFollowsARefusedToken() {
		ImsTokenManager tokenManager = tokenManagerThatReplacesARefusedToken();
		tokenManager.getToken().block(TIMEOUT);
		// IMS answers the second token request after three times the response timeout,
		// well within the token request timeout.
		this.servers.ims().respond((request) -> tokenAnsweredAfter(2, Duration.ofMillis(1500)));
		this.servers.streaming().respond(refusing(token(1)));
		StreamingHttpClient client = clientWithReadTimeout(tokenManager, Duration.ofSeconds(5));
		client.setResponseTimeout(Duration.ofMillis(500));
		assertThat(client.send(MESSAGE.getBytes(), false).block(TIMEOUT).statusCode()).isEqualTo(200);
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::bearerToken)
			.containsExactly(token(1), token(2));
	}

	@Test
	void aRequestSentAgainWithANewTokenHasTheResponseTimeoutOfItsOwn() {
		ImsTokenManager tokenManager = tokenManagerThatReplacesARefusedToken();
		this.servers.streaming()
			.respond((request) -> token(1).equals(AepTestServers.bearerToken(request)) ? AepTestServers.refused(401)
					: AepTestServers.accepted().setHeadersDelay(3, TimeUnit.SECONDS));
		StreamingHttpClient client = clientWithReadTimeout(tokenManager, Duration.ofSeconds(5));
		client.setResponseTimeout(Duration.ofMillis(500));
		assertThatExceptionOfType(StreamingTimeoutException.class)
			.isThrownBy(() -> client.send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getMessage()).contains(CONNECTION_ID)
					.contains("aep.streaming.response-timeout")
					.contains("500 ms");
				assertRevealsNoSecret(ex);
			});
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::bearerToken)
			.containsExactly(token(1), token(2));
	}

	@Test
	void aRefusalThatTricklesLongerThanTheResponseTimeoutHitsIt() {
		ImsTokenManager tokenManager = tokenManagerThatReplacesARefusedToken();
		// A byte every 50 ms keeps every pause under the read timeout; the refusal takes
		// several seconds.
		this.servers.streaming()
			.respond((request) -> token(1).equals(AepTestServers.bearerToken(request))
					? AepTestServers.refused(401).throttleBody(1, 50, TimeUnit.MILLISECONDS)
					: AepTestServers.accepted());
		StreamingHttpClient client = clientWithReadTimeout(tokenManager, Duration.ofSeconds(5));
		client.setResponseTimeout(Duration.ofMillis(500));
		assertThatExceptionOfType(StreamingTimeoutException.class)
			.isThrownBy(() -> client.send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.withMessageContaining("aep.streaming.response-timeout");
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::bearerToken)
			.containsExactly(token(1));
	}

	@Test
	void rejectsAResponseTimeoutThatIsNotPositive() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.servers.client().setResponseTimeout(Duration.ZERO))
			.withMessageContaining("responseTimeout");
	}

	@Test
	void reportsARefusedConnectionAsARetryableTransportFailure() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		WebClient webClient = this.servers.webClient(this.servers.tokenManager(), Duration.ofSeconds(5))
			.mutate()
			.baseUrl("http://localhost:" + closedPort)
			.build();
		StreamingHttpClient client = new StreamingHttpClient(webClient, AepTestServers.jsonMapper(), CONNECTION_ID,
				SANDBOX, FLOW_ID, Clock.systemUTC());
		assertThatExceptionOfType(StreamingTransportException.class)
			.isThrownBy(() -> client.send(MESSAGE.getBytes(), false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.isRetryable()).isTrue();
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getMessage()).contains(CONNECTION_ID);
				assertRevealsNoSecret(ex);
			});
		assertThat(this.servers.ims().requestCount()).isOne();
	}

	@Test
	void toStringShowsTheConnectionAndNoSecret() {
		StreamingHttpClient client = this.servers.client();
		assertThat(client.toString()).contains(CONNECTION_ID).contains(SANDBOX);
		assertRevealsNoSecret(client);
	}

	/**
	 * A batch answer with one entry per message: accepted without and with a status,
	 * refused with {@code statusCode} and with {@code status} as a string and as a
	 * number.
	 */
	private static String mixedBatchAnswer() {
		return "{\"inletId\":\"" + CONNECTION_ID + "\",\"batchId\":\"b-1\",\"receivedTimeMs\":1700000000000,"
				+ "\"responses\":[{\"xactionId\":\"x-0\"},"
				+ "{\"statusCode\":400,\"message\":\"Message has unknown xdm format\"},"
				+ "{\"status\":\"503\",\"message\":\"Service unavailable\"},"
				+ "{\"status\":429,\"message\":\"Slow down\"}," + "{\"xactionId\":\"x-4\",\"statusCode\":200},"
				+ "{\"statusCode\":501,\"message\":\"Not here\"}]}";
	}

	private StreamingHttpClient clientWithoutFlow() {
		return this.servers.client(this.servers.tokenManager(), null, Clock.systemUTC());
	}

	private StreamingHttpClient clientWithReadTimeout(Duration readTimeout) {
		return clientWithReadTimeout(this.servers.tokenManager(), readTimeout);
	}

	private StreamingHttpClient clientWithReadTimeout(ImsTokenManager tokenManager, Duration readTimeout) {
		return new StreamingHttpClient(this.servers.webClient(tokenManager, readTimeout), AepTestServers.jsonMapper(),
				CONNECTION_ID, SANDBOX, FLOW_ID, Clock.systemUTC());
	}

	/**
	 * Return a token manager that replaces even a token that AEP refuses on its first
	 * use, and that allows token requests more time than the tests' response timeouts.
	 */
	private ImsTokenManager tokenManagerThatReplacesARefusedToken() {
		ImsTokenManager tokenManager = this.servers.tokenManager();
		tokenManager.setMinReauthenticationInterval(Duration.ZERO);
		tokenManager.setTokenRequestTimeout(Duration.ofSeconds(5));
		return tokenManager;
	}

	/**
	 * IMS's answer with the n-th token, its headers sent only after the given delay.
	 */
	private static MockResponse tokenAnsweredAfter(int n, Duration delay) {
		return json(200, "{\"access_token\":\"" + token(n) + "\",\"token_type\":\"bearer\",\"expires_in\":86399}")
			.setHeadersDelay(delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static Function<RecordedRequest, MockResponse> refusing(String token) {
		return (request) -> token.equals(AepTestServers.bearerToken(request)) ? AepTestServers.refused(401)
				: AepTestServers.accepted();
	}

}
