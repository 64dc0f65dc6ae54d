package dev.aepstreaming.emulator;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests of the emulator's lifecycle and configuration.
 */
class AepEmulatorTests {

	@Test
	void defaultsJustWork() {
		try (AepEmulator emulator = AepEmulator.builder().build().start()) {
			assertThat(emulator.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
			assertThat(emulator.clientId()).isEqualTo("emulator-client-id");
			assertThat(emulator.clientSecret()).isEqualTo("emulator-client-secret");
			assertThat(emulator.orgId()).isEqualTo("EMULATOR0000000000000000@AdobeOrg");
			assertThat(emulator.credential().scopeParameter())
				.isEqualTo("openid,AdobeID,read_organizations,additional_info.projectedProductContext,session");
			assertThat(emulator.tokenLifetime()).isEqualTo(Duration.ofDays(1));
			assertThat(new EmulatorClient(emulator).fetchToken()).isNotBlank();
		}
	}

	@Test
	void bindsTheRequestedPort() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (AepEmulator emulator = AepEmulator.builder().port(port).build().start()) {
			assertThat(emulator.port()).isEqualTo(port);
			assertThat(emulator.collectionUri("x")).isEqualTo("http://127.0.0.1:" + port + "/collection/x");
			assertThat(emulator.batchUri("x")).isEqualTo("http://127.0.0.1:" + port + "/collection/batch/x");
		}
	}

	@Test
	void configuredCredentialReplacesTheDefault() {
		try (AepEmulator emulator = AepEmulator.builder()
			.credential("my-client", "my-secret", "ABC@AdobeOrg", "openid", "AdobeID")
			.build()
			.start()) {
			EmulatorClient client = new EmulatorClient(emulator);
			assertThat(emulator.clientId()).isEqualTo("my-client");
			assertThat(client.fetchToken()).isNotBlank();
			Map<String, String> form = client.validTokenForm();
			form.put("client_id", EmulatorCredential.DEFAULT_CLIENT_ID);
			assertThat(client.postToken(form).statusCode()).isEqualTo(400);
		}
	}

	@Test
	void startingTwiceFailsAndClosingTwiceDoesNothing() {
		AepEmulator emulator = AepEmulator.builder().build().start();
		assertThatIllegalStateException().isThrownBy(emulator::start);
		emulator.close();
		emulator.close();
		assertThat(emulator.isRunning()).isFalse();
		assertThatIllegalStateException().isThrownBy(emulator::baseUrl);
	}

	@Test
	void credentialToStringHidesTheSecrets() {
		EmulatorCredential credential = EmulatorCredential.of("id", "top-secret", "ORG@AdobeOrg", "openid")
			.withAdditionalSecret("next-secret");
		assertThat(credential.toString()).contains("id").doesNotContain("top-secret").doesNotContain("next-secret");
		assertThat(credential.clientSecrets()).containsExactly("top-secret", "next-secret");
		assertThatIllegalStateException().isThrownBy(() -> credential.withAdditionalSecret("third"));
	}

	@Test
	void invalidSettingsAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AepEmulator.builder().tokenLifetime(Duration.ofMillis(999)));
		assertThatIllegalArgumentException().isThrownBy(() -> AepEmulator.builder().port(70000));
		assertThatIllegalArgumentException().isThrownBy(() -> AepEmulator.builder()
			.credential(EmulatorCredential.defaultCredential())
			.credential(EmulatorCredential.defaultCredential()));
		assertThatIllegalArgumentException().isThrownBy(() -> EmulatorCredential.of("id", "secret", "org", List.of()));
	}

}
