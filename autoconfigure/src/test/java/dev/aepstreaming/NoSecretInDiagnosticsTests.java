package dev.aepstreaming;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.ims.ImsTokenManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.aepstreaming.AepTestServers.CLIENT_ID;
import static dev.aepstreaming.AepTestServers.FLOW_ID;
import static dev.aepstreaming.AepTestServers.assertRevealsNoSecret;
import static dev.aepstreaming.AepTestServers.json;
import static dev.aepstreaming.AepTestServers.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests that what the client shows of itself and of its failures never contains the
 * client secret or an access token.
 *
 * @author aep-streaming
 */
class NoSecretInDiagnosticsTests {

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
	void resultsAndTemplatesShowNoSecret() {
		StreamingTemplate template = this.servers.template();
		StreamingResult result = template.send(Map.of("_id", "e-1"));
		this.servers.streaming().respond((request) -> json(207, "{\"responses\":[{},{\"statusCode\":400}]}"));
		BatchResult batch = template.sendBatch(List.of(Map.of("_id", "e-2"), Map.of("_id", "e-3")));
		assertThat(List.of(result, batch, batch.failures().get(0), template, template.reactive(),
				StreamingMessage.xdm(Map.of("_id", "e-4"))))
			.allSatisfy(AepTestServers::assertRevealsNoSecret);
	}

	@Test
	void aRefusedTokenIsNotShownInTheAuthenticationFailure() {
		ImsTokenManager tokenManager = this.servers.tokenManager();
		tokenManager.setMinReauthenticationInterval(Duration.ZERO);
		StreamingTemplate template = new StreamingTemplate(
				new ReactiveStreamingTemplate(this.servers.client(tokenManager, FLOW_ID, Clock.systemUTC()),
						AepTestServers.writer(AepTestServers.envelopeSettings()), false));
		this.servers.streaming().respond((request) -> refused(403));
		StreamingAuthenticationException ex = catchThrowableOfType(StreamingAuthenticationException.class,
				() -> template.send(Map.of("_id", "e-1")));
		assertThat(ex.getStatusCode()).isEqualTo(403);
		assertThat(ex.getMessage()).contains("allow-listed");
		assertRevealsNoSecret(ex);
	}

	@Test
	void aRejectedCredentialIsReportedWithoutTheSecret() {
		this.servers.ims()
			.respond((request) -> json(400,
					"{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret parameter\"}"));
		StreamingTemplate template = this.servers.template();
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> template.send(Map.of("_id", "e-1")))
			.satisfies((ex) -> {
				assertThat(ex.isCredentialRejected()).isTrue();
				assertThat(ex.getImsError()).isEqualTo("invalid_client");
				assertThat(ex.getMessage()).contains(CLIENT_ID);
				assertRevealsNoSecret(ex);
			});
		assertThat(this.servers.streaming().requestCount()).isZero();
	}

}
