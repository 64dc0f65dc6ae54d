package dev.aepstreaming.ims;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ImsAccessToken}.
 *
 * @author aep-streaming
 */
class ImsAccessTokenTests {

	private static final Instant OBTAINED_AT = Instant.parse("2026-03-02T09:00:00Z");

	@Test
	void toStringShowsTheTimesButNeverTheTokenValue() {
		ImsAccessToken token = new ImsAccessToken("eyJhbGciOiJSUzI1NiJ9.secret-claims.signature", OBTAINED_AT,
				Duration.ofSeconds(86399));
		assertThat(token.toString()).contains("2026-03-02T09:00:00Z")
			.contains("2026-03-03T08:59:59Z")
			.doesNotContain("eyJ")
			.doesNotContain("secret-claims")
			.doesNotContain("signature");
	}

	@Test
	void expiresALifetimeAfterItWasRequested() {
		ImsAccessToken token = new ImsAccessToken("value", OBTAINED_AT, Duration.ofSeconds(86399));
		assertThat(token.getExpiresAt()).isEqualTo(OBTAINED_AT.plusSeconds(86399));
	}

	@Test
	void isAcceptedOnlyOnceMarked() {
		ImsAccessToken token = new ImsAccessToken("value", OBTAINED_AT, Duration.ofSeconds(86399));
		assertThat(token.isAccepted()).isFalse();
		token.markAccepted();
		assertThat(token.isAccepted()).isTrue();
	}

}
