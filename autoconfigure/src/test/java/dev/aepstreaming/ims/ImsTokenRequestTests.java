package dev.aepstreaming.ims;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.aepstreaming.test.MutableClock;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the token request that the Spring Security chain built by
 * {@link ImsOAuth2Clients} sends to IMS, and how it reads IMS's answer.
 *
 * @author aep-streaming
 */
class ImsTokenRequestTests {

	private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

	private final MockIms ims = new MockIms();

	private final MutableClock clock = new MutableClock(START);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final ImsTokenManager manager = this.ims.tokenManager(this.clock, this.scheduler);

	@AfterEach
	void close() throws Exception {
		this.manager.close();
		this.scheduler.dispose();
		this.ims.close();
	}

	@Test
	void tokenRequestIsAFormPostWithClientCredentialsAndCommaSeparatedScopes() {
		this.manager.getToken().block(Duration.ofSeconds(10));
		assertThat(this.ims.getRequests()).singleElement().satisfies((request) -> {
			assertThat(request.getMethod()).isEqualTo("POST");
			assertThat(request.getPath()).isEqualTo(MockIms.TOKEN_PATH);
			assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
			assertThat(request.getHeader("Authorization")).isNull();
			assertThat(formParameters(request)).containsExactlyInAnyOrderEntriesOf(
					Map.of("grant_type", "client_credentials", "client_id", MockIms.CLIENT_ID, "client_secret",
							MockIms.CLIENT_SECRET, "scope", "openid,AdobeID,read_organizations"));
		});
	}

	@Test
	void expiresInIsReadAsSecondsFromWhenTheRequestWasSent() {
		ImsAccessToken token = this.manager.getToken().block(Duration.ofSeconds(10));
		assertThat(token.getTokenValue()).isEqualTo(MockIms.tokenValue(1));
		assertThat(token.getObtainedAt()).isEqualTo(START);
		assertThat(token.getLifetime()).isEqualTo(Duration.ofSeconds(86399));
		assertThat(token.getExpiresAt()).isEqualTo(START.plus(Duration.ofHours(24)).minusSeconds(1));
	}

	private static Map<String, String> formParameters(RecordedRequest request) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String pair : request.getBody().clone().readUtf8().split("&")) {
			String[] nameAndValue = pair.split("=", 2);
			String previous = parameters.put(decode(nameAndValue[0]), decode(nameAndValue[1]));
			assertThat(previous).as("parameter %s sent once", nameAndValue[0]).isNull();
		}
		return parameters;
	}

	private static String decode(String value) {
		return URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

}
