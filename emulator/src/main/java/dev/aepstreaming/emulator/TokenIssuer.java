package dev.aepstreaming.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issues and verifies the emulator's access tokens: JWTs signed with HS256 under a random
 * key that only this emulator instance knows, so a token from another instance (or a
 * tampered one) fails verification exactly like a foreign token fails at Adobe.
 * <p>
 * The claims follow the shape of IMS access tokens: {@code created_at} and
 * {@code expires_in} are milliseconds written as strings, as Adobe's own code reads them,
 * next to {@code client_id}, {@code org}, {@code scope} and a unique {@code id}. A
 * {@code revocation_epoch} claim lets {@link #revokeAll()} invalidate every token issued
 * so far without keeping a list of them.
 *
 * @author aep-streaming
 */
final class TokenIssuer {

	private static final String ALGORITHM = "HmacSHA256";

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private static final String HEADER = ENCODER.encodeToString(
			"{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"aep-emulator\"}".getBytes(StandardCharsets.UTF_8));

	private final Clock clock;

	private final long lifetimeMillis;

	private final SecretKeySpec key;

	private final ThreadLocal<Mac> macs;

	private final AtomicLong epoch = new AtomicLong();

	TokenIssuer(Clock clock, Duration lifetime) {
		this.clock = clock;
		this.lifetimeMillis = lifetime.toMillis();
		byte[] keyBytes = new byte[32];
		new SecureRandom().nextBytes(keyBytes);
		this.key = new SecretKeySpec(keyBytes, ALGORITHM);
		this.macs = ThreadLocal.withInitial(this::createMac);
	}

	/**
	 * Return the {@code expires_in} of a token response in seconds. IMS answers 86399 for
	 * its 24-hour tokens, one second short of the lifetime; a one-second lifetime still
	 * answers 1 so that no client is told its token is already expired.
	 * @return the lifetime to announce, in seconds
	 */
	long expiresInSeconds() {
		return Math.max(1, this.lifetimeMillis / 1000 - 1);
	}

	String issue(EmulatorCredential credential, String scope) {
		ObjectNode claims = Json.object();
		claims.put("id", UUID.randomUUID().toString());
		claims.put("type", "access_token");
		claims.put("client_id", credential.clientId());
		claims.put("user_id", credential.clientId() + "@techacct.adobe.com");
		claims.put("as", "ims-emulator");
		claims.put("org", credential.orgId());
		claims.put("scope", scope);
		claims.put("created_at", Long.toString(this.clock.millis()));
		claims.put("expires_in", Long.toString(this.lifetimeMillis));
		claims.put("revocation_epoch", this.epoch.get());
		String signingInput = HEADER + "." + ENCODER.encodeToString(Json.bytes(claims));
		return signingInput + "." + ENCODER.encodeToString(sign(signingInput));
	}

	/**
	 * Invalidate every token issued so far; tokens issued afterwards are valid again.
	 * @return the new revocation epoch
	 */
	long revokeAll() {
		return this.epoch.incrementAndGet();
	}

	TokenVerification verify(String token) {
		if (token == null || token.isBlank()) {
			return TokenVerification.failure(TokenVerification.Outcome.MISSING);
		}
		String[] parts = token.split("\\.", -1);
		if (parts.length != 3) {
			return TokenVerification.failure(TokenVerification.Outcome.MALFORMED);
		}
		JsonNode claims;
		byte[] signature;
		try {
			claims = Json.parse(DECODER.decode(parts[1]));
			signature = DECODER.decode(parts[2]);
		}
		catch (RuntimeException ex) {
			return TokenVerification.failure(TokenVerification.Outcome.MALFORMED);
		}
		if (!MessageDigest.isEqual(sign(parts[0] + "." + parts[1]), signature)) {
			return TokenVerification.failure(TokenVerification.Outcome.INVALID_SIGNATURE);
		}
		return checkClaims(claims);
	}

	private TokenVerification checkClaims(JsonNode claims) {
		long createdAt;
		long expiresIn;
		try {
			createdAt = Long.parseLong(claims.path("created_at").asString());
			expiresIn = Long.parseLong(claims.path("expires_in").asString());
		}
		catch (NumberFormatException ex) {
			return TokenVerification.failure(TokenVerification.Outcome.MALFORMED);
		}
		if (this.clock.millis() >= createdAt + expiresIn) {
			return TokenVerification.failure(TokenVerification.Outcome.EXPIRED);
		}
		if (claims.path("revocation_epoch").asLong(-1) != this.epoch.get()) {
			return TokenVerification.failure(TokenVerification.Outcome.REVOKED);
		}
		return TokenVerification.valid(claims.path("client_id").asString(), claims.path("org").asString());
	}

	private byte[] sign(String signingInput) {
		return this.macs.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
	}

	private Mac createMac() {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
		}
	}

}
