package dev.aepstreaming.http;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.StreamingAuthenticationException;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.ims.ImsTokenManager;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static dev.aepstreaming.AepTestServers.CLIENT_ID;
import static dev.aepstreaming.AepTestServers.CONNECTION_ID;
import static dev.aepstreaming.AepTestServers.ORG_ID;
import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.accepted;
import static dev.aepstreaming.AepTestServers.assertRevealsNoSecret;
import static dev.aepstreaming.AepTestServers.bearerToken;
import static dev.aepstreaming.AepTestServers.refused;
import static dev.aepstreaming.AepTestServers.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ImsBearerExchangeFilterFunction}, with tokens fetched over HTTP from
 * an IMS server and sent to a streaming server.
 *
 * @author aep-streaming
 */
class ImsBearerExchangeFilterFunctionTests {

	private static final byte[] MESSAGE = "{\"body\":{\"xdmEntity\":{\"_id\":\"1\"}}}".getBytes();

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
	void sendsTheImsTokenAsBearerWithTheClientIdAsApiKeyAndTheOrganization() {
		StreamingHttpClient client = this.servers.client();
		client.send(MESSAGE, false).block(TIMEOUT);
		RecordedRequest request = this.servers.streaming().onlyRequest();
		assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + token(1));
		assertThat(request.getHeader("x-api-key")).isEqualTo(CLIENT_ID);
		assertThat(request.getHeader("x-gw-ims-org-id")).isEqualTo(ORG_ID);
		assertThat(this.servers.ims().requestCount()).isOne();
	}

	@Test
	void reusesTheTokenForLaterSends() {
		StreamingHttpClient client = this.servers.client();
		for (int i = 0; i < 3; i++) {
			client.send(MESSAGE, false).block(TIMEOUT);
		}
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::bearerToken)
			.containsOnly(token(1))
			.hasSize(3);
		assertThat(this.servers.ims().requestCount()).isOne();
	}

	@Test
	void retriesOnceWithANewTokenWhenAepAnswers401() {
		assertRetriedOnceWithANewTokenAfterRefusal(401);
	}

	@Test
	void retriesOnceWithANewTokenWhenAepAnswers403() {
		assertRetriedOnceWithANewTokenAfterRefusal(403);
	}

	@Test
	void retriesARefusedBatchOnceWithANewTokenAndTheSameBody() {
		ImsTokenManager tokenManager = this.servers.tokenManager();
		tokenManager.setMinReauthenticationInterval(Duration.ZERO);
		StreamingHttpClient client = this.servers.client(tokenManager, null, Clock.systemUTC());
		this.servers.streaming()
			.respond((request) -> Objects.equals(bearerToken(request), token(1)) ? refused(401)
					: AepTestServers.json(207, "{\"responses\":[{\"xactionId\":\"x-0\"}]}"));
		String batch = "{\"messages\":[" + new String(MESSAGE) + "]}";
		BatchResult result = client.sendBatch(batch.getBytes(), 1).block(TIMEOUT);
		assertThat(result.isAllSuccessful()).isTrue();
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::bearerToken)
			.containsExactly(token(1), token(2));
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::body).containsOnly(batch);
		assertThat(this.servers.streaming().requests()).extracting(RecordedRequest::getPath)
			.containsOnly("/collection/batch/" + CONNECTION_ID);
	}

	@Test
	void twoHundredConcurrentSendsRefusedWithTheSameRevokedTokenCauseOneTokenRequest() {
		ImsTokenManager tokenManager = this.servers.tokenManager();
		StreamingHttpClient client = this.servers.client(tokenManager, AepTestServers.FLOW_ID, Clock.systemUTC());
		client.send(MESSAGE, false).block(TIMEOUT);
		CountDownLatch allRefusedInFlight = new CountDownLatch(200);
		this.servers.streaming().respond(refusingOnceAllArrived(token(1), allRefusedInFlight));
		List<StreamingResult> results = Flux.range(0, 200)
			.flatMap((i) -> client.send(MESSAGE, false), 200)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(allRefusedInFlight.getCount()).as("sends refused with the old token at once").isZero();
		assertThat(results).hasSize(200).allSatisfy((result) -> assertThat(result.statusCode()).isEqualTo(200));
		assertThat(this.servers.ims().requestCount()).isEqualTo(2);
		List<String> tokens = this.servers.streaming().requests().stream().map(AepTestServers::bearerToken).toList();
		assertThat(tokens).hasSize(1 + 200 + 200);
		assertThat(tokens.stream().filter(token(1)::equals)).hasSize(1 + 200);
		assertThat(tokens.stream().filter(token(2)::equals)).hasSize(200);
		assertThat(tokenManager.getCurrentToken())
			.hasValueSatisfying((token) -> assertThat(token.isAccepted()).isTrue());
	}

	@Test
	void aSecondRefusalIsReportedWithAepsReportAndNotRetriedAgain() {
		ImsTokenManager tokenManager = this.servers.tokenManager();
		tokenManager.setMinReauthenticationInterval(Duration.ZERO);
		StreamingHttpClient client = this.servers.client(tokenManager, null, Clock.systemUTC());
		this.servers.streaming().respond((request) -> refused(401));
		assertThatExceptionOfType(StreamingAuthenticationException.class)
			.isThrownBy(() -> client.send(MESSAGE, false).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(401);
				assertThat(ex.getMessage()).contains("[" + CONNECTION_ID + "] Ims service token is invalid")
					.contains(CONNECTION_ID)
					.contains(AepTestServers.SANDBOX);
				assertThat(ex.isRetryable()).isFalse();
				assertRevealsNoSecret(ex);
			});
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::bearerToken)
			.containsExactly(token(1), token(2));
		assertThat(this.servers.ims().requestCount()).isEqualTo(2);
	}

	@Test
	void aConnectionThatRefusesEveryTokenCausesOneReplacementPerIntervalRatherThanOnePerSend() {
		ImsTokenManager tokenManager = this.servers.tokenManager();
		tokenManager.setMinReauthenticationInterval(Duration.ofHours(1));
		StreamingHttpClient client = this.servers.client(tokenManager, null, Clock.systemUTC());
		this.servers.streaming().respond((request) -> refused(401));
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(StreamingAuthenticationException.class)
				.isThrownBy(() -> client.send(MESSAGE, false).block(TIMEOUT))
				.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(401));
		}
		assertThat(this.servers.ims().requestCount()).isEqualTo(2);
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::bearerToken)
			.containsExactly(token(1), token(2), token(2), token(2), token(2), token(2));
	}

	@Test
	void toStringShowsNeitherTheSecretNorTheToken() {
		ImsTokenManager tokenManager = this.servers.tokenManager();
		tokenManager.getToken().block(TIMEOUT);
		ImsBearerExchangeFilterFunction filter = new ImsBearerExchangeFilterFunction(tokenManager, CLIENT_ID, ORG_ID);
		assertThat(filter.toString()).contains(CLIENT_ID).contains(ORG_ID);
		assertRevealsNoSecret(filter);
		assertRevealsNoSecret(tokenManager.getCurrentToken().orElseThrow());
	}

	private void assertRetriedOnceWithANewTokenAfterRefusal(int status) {
		ImsTokenManager tokenManager = this.servers.tokenManager();
		// The first token is refused on its first use: only a token younger than this
		// interval that AEP never accepted is kept.
		tokenManager.setMinReauthenticationInterval(Duration.ZERO);
		StreamingHttpClient client = this.servers.client(tokenManager, null, Clock.systemUTC());
		this.servers.streaming().respond(refusing(token(1), status));
		StreamingResult result = client.send(MESSAGE, false).block(TIMEOUT);
		assertThat(result.statusCode()).isEqualTo(200);
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::bearerToken)
			.containsExactly(token(1), token(2));
		assertThat(this.servers.streaming().requests()).extracting(AepTestServers::body)
			.containsExactly(new String(MESSAGE), new String(MESSAGE));
		assertThat(this.servers.ims().requestCount()).isEqualTo(2);
		client.send(MESSAGE, false).block(TIMEOUT);
		assertThat(this.servers.ims().requestCount()).isEqualTo(2);
	}

	/**
	 * Refuse the given token once as many requests carrying it are in flight as the latch
	 * counts, so that every one of them is sent before the first refusal arrives. The
	 * wait is bounded; the test then fails on the latch's count.
	 */
	private static Function<RecordedRequest, MockResponse> refusingOnceAllArrived(String token,
			CountDownLatch inFlight) {
		return (request) -> {
			if (!token.equals(bearerToken(request))) {
				return accepted();
			}
			inFlight.countDown();
			try {
				inFlight.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return refused(401);
		};
	}

	private static Function<RecordedRequest, MockResponse> refusing(String token, int status) {
		return (request) -> Objects.equals(bearerToken(request), token) ? refused(status) : accepted();
	}

}
