package dev.aepstreaming;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.ims.ImsTokenManager;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.assertRevealsNoSecret;
import static dev.aepstreaming.AepTestServers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests that bad input, from the caller, from IMS or from AEP, ends in a clear error that
 * names the problem, without a hang and without a request that cannot succeed.
 *
 * @author aep-streaming
 */
class BadInputTests {

	private final AepTestServers servers = AepTestServers.start();

	@AfterEach
	void stopServers() {
		this.servers.close();
	}

	@Test
	void nullEventIsRefusedNamingTheArgument() {
		StreamingTemplate template = this.servers.template();
		assertThatIllegalArgumentException().isThrownBy(() -> template.send((Object) null))
			.withMessageContaining("xdmEntity");
		assertThatIllegalArgumentException().isThrownBy(() -> template.send((StreamingMessage) null))
			.withMessageContaining("message");
		assertThatIllegalArgumentException().isThrownBy(() -> template.sendBatch(List.of()))
			.withMessageContaining("messages");
		assertThat(this.servers.streaming().requestCount()).isZero();
	}

	@Test
	void eventThatIsNotAJsonObjectIsRefusedBeforeSending() {
		StreamingTemplate template = this.servers.template();
		for (Object notAnObject : List.<Object>of("", "{\"_id\":\"1\"}", 42, List.of(Map.of("_id", "1")))) {
			assertThatExceptionOfType(StreamingValidationException.class).isThrownBy(() -> template.send(notAnObject))
				.withMessageContaining("xdmEntity must be a JSON object")
				.withMessageContaining(notAnObject.getClass().getSimpleName());
		}
		assertThat(this.servers.streaming().requestCount()).isZero();
	}

	@Test
	void blankRawJsonIsRefusedBeforeSending() {
		StreamingTemplate template = this.servers.template();
		for (String blank : List.of("", "   ")) {
			assertThatExceptionOfType(StreamingValidationException.class)
				.isThrownBy(() -> template.send(StreamingMessage.raw(blank)))
				.withMessageContaining("raw message is empty");
		}
		assertThat(this.servers.streaming().requestCount()).isZero();
	}

	@Test
	void imsAnswerWithoutAccessTokenFailsTheSendClearly() {
		this.servers.ims().respond((request) -> json(200, "{\"token_type\":\"bearer\",\"expires_in\":86399}"));
		assertImsFailure("IMS is unreachable or failing");
	}

	@Test
	void imsAnswerWithNonNumericExpiresInFailsTheSendClearly() {
		this.servers.ims()
			.respond((request) -> json(200,
					"{\"access_token\":\"eyJ.x\",\"token_type\":\"bearer\",\"expires_in\":\"tomorrow\"}"));
		assertImsFailure("IMS is unreachable or failing");
	}

	@Test
	void imsAnswerThatIsAnHtmlErrorPageFailsTheSendClearly() {
		this.servers.ims()
			.respond((request) -> new MockResponse().setResponseCode(502)
				.setHeader("Content-Type", "text/html")
				.setBody("<html><body><h1>502 Bad Gateway</h1></body></html>"));
		assertImsFailure("IMS is unreachable or failing");
	}

	@Test
	void imsTokenWithANegativeLifetimeIsNotUsedAndNotRefetchedInALoop() {
		this.servers.ims()
			.respond((request) -> json(200,
					"{\"access_token\":\"eyJ.negative\",\"token_type\":\"bearer\",\"expires_in\":-5}"));
		ImsTokenManager tokenManager = this.servers.tokenManager();
		for (int i = 0; i < 20; i++) {
			assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> tokenManager.getToken().block(TIMEOUT))
				.withMessageContaining("expires_in");
		}
		assertThat(this.servers.ims().requestCount()).isOne();
	}

	@Test
	void imsTokenWithAHugeLifetimeIsUsedButRefreshedWithinADay() {
		this.servers.ims()
			.respond((request) -> json(200,
					"{\"access_token\":\"eyJ.huge\",\"token_type\":\"bearer\",\"expires_in\":9999999999}"));
		ImsTokenManager tokenManager = this.servers.tokenManager();
		assertThat(tokenManager.getToken().block(TIMEOUT).getLifetime()).isEqualTo(Duration.ofHours(24));
	}

	@Test
	void aepAnswerThatIsNotJsonStillMapsToATypedError() {
		this.servers.streaming()
			.respond((request) -> new MockResponse().setResponseCode(503)
				.setHeader("Content-Type", "text/plain")
				.setBody("upstream connect error or disconnect/reset before headers"));
		assertThatExceptionOfType(StreamingServerException.class)
			.isThrownBy(() -> this.servers.template().send(Map.of("_id", "1")))
			.withMessageContaining("upstream connect error")
			.satisfies((ex) -> assertThat(ex.isRetryable()).isTrue());
	}

	@Test
	void acceptedAnswerThatIsNotJsonIsStillAnAcknowledgement() {
		this.servers.streaming().respond((request) -> new MockResponse().setResponseCode(200).setBody("OK"));
		StreamingResult result = this.servers.template().send(Map.of("_id", "1"));
		assertThat(result.statusCode()).isEqualTo(200);
		assertThat(result.xactionId()).isNull();
	}

	private void assertImsFailure(String expected) {
		StreamingTemplate template = this.servers.template();
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> template.send(Map.of("_id", "1")))
			.withMessageContaining(expected)
			.withMessageContaining(AepTestServers.CLIENT_ID)
			.satisfies((ex) -> {
				assertThat(ex.isCredentialRejected()).isFalse();
				assertRevealsNoSecret(ex);
			});
		assertThat(this.servers.streaming().requestCount()).isZero();
	}

}
