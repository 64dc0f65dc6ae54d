package dev.aepstreaming.ims;

import java.time.Duration;
import java.time.Instant;

import org.springframework.util.Assert;

/**
 * An IMS access token together with the times that decide its use, all read from the
 * token manager's {@link java.time.Clock}.
 * <p>
 * {@link #toString()} never shows the token value.
 *
 * @author aep-streaming
 */
public final class ImsAccessToken {

	private final String tokenValue;

	private final Instant obtainedAt;

	private final Duration lifetime;

	private volatile boolean accepted;

	/**
	 * Create a new token.
	 * @param tokenValue the bearer token
	 * @param obtainedAt when the request that returned the token was sent
	 * @param lifetime how long IMS said the token lives ({@code expires_in})
	 */
	public ImsAccessToken(String tokenValue, Instant obtainedAt, Duration lifetime) {
		Assert.hasText(tokenValue, "'tokenValue' must not be empty");
		Assert.notNull(obtainedAt, "'obtainedAt' must not be null");
		Assert.isTrue(lifetime != null && !lifetime.isNegative() && !lifetime.isZero(), "'lifetime' must be positive");
		this.tokenValue = tokenValue;
		this.obtainedAt = obtainedAt;
		this.lifetime = lifetime;
	}

	/**
	 * Return the bearer token to send in the {@code Authorization} header.
	 * @return the token value
	 */
	public String getTokenValue() {
		return this.tokenValue;
	}

	/**
	 * Return when the request that returned this token was sent. Counting the lifetime
	 * from then rather than from the answer errs on the safe side.
	 * @return the instant the token was requested
	 */
	public Instant getObtainedAt() {
		return this.obtainedAt;
	}

	/**
	 * Return how long the token lives.
	 * @return the lifetime IMS announced
	 */
	public Duration getLifetime() {
		return this.lifetime;
	}

	/**
	 * Return when the token expires.
	 * @return the expiry instant
	 */
	public Instant getExpiresAt() {
		return this.obtainedAt.plus(this.lifetime);
	}

	/**
	 * Return whether AEP has accepted this token at least once. A token that worked and
	 * is then refused was revoked or expired early, so replacing it is worthwhile at
	 * once.
	 * @return whether the token was accepted
	 */
	public boolean isAccepted() {
		return this.accepted;
	}

	/**
	 * Record that AEP accepted this token.
	 */
	public void markAccepted() {
		if (!this.accepted) {
			this.accepted = true;
		}
	}

	@Override
	public String toString() {
		return "ImsAccessToken[obtainedAt=" + this.obtainedAt + ", expiresAt=" + getExpiresAt() + ", token=****]";
	}

}
