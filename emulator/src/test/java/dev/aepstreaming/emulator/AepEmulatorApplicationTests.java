package dev.aepstreaming.emulator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of the standalone application's options and banner.
 */
class AepEmulatorApplicationTests {

	@Test
	void optionsConfigureTheEmulator() {
		AepEmulator.Builder builder = AepEmulatorApplication.builder(AepEmulatorApplication
			.options(new String[] { "--port=0", "--token-lifetime=PT30S", "--client-id=cli", "--client-secret=sec",
					"--org-id=ORG@AdobeOrg", "--scopes=openid,AdobeID", "--unauthenticated-connections=open" }));
		try (AepEmulator emulator = builder.build().start()) {
			assertThat(emulator.tokenLifetime()).isEqualTo(Duration.ofSeconds(30));
			assertThat(emulator.clientId()).isEqualTo("cli");
			assertThat(emulator.credential().scopes()).containsExactly("openid", "AdobeID");
			EmulatorClient client = new EmulatorClient(emulator);
			assertThat(client.postSingle("open", XdmMessages.json(XdmMessages.valid())).statusCode()).isEqualTo(200);
		}
	}

	@Test
	void tokenLifetimeCanBeGivenInSeconds() {
		AepEmulator.Builder builder = AepEmulatorApplication
			.builder(AepEmulatorApplication.options(new String[] { "--port=0", "--token-lifetime=5" }));
		assertThat(builder.build().tokenLifetime()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void argumentsMustBeOptionsWithValues() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AepEmulatorApplication.options(new String[] { "--port" }));
	}

	@Test
	void bannerPrintsEndpointsAndTheFakeCredential() {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		try (AepEmulator emulator = AepEmulator.builder().build().start()) {
			AepEmulatorApplication.printBanner(emulator, new PrintStream(output, true, StandardCharsets.UTF_8));
			String banner = output.toString(StandardCharsets.UTF_8);
			assertThat(banner).contains(emulator.baseUrl())
				.contains(emulator.tokenUri())
				.contains("emulator-client-id")
				.contains("emulator-client-secret")
				.contains("fake secret");
		}
	}

}
