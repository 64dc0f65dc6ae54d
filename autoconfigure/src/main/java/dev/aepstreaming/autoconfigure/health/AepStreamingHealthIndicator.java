package dev.aepstreaming.autoconfigure.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.ims.ImsAccessToken;
import dev.aepstreaming.ims.ImsTokenManager;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.Assert;

/**
 * Reports whether one AEP streaming connection can deliver: {@code UP} while a valid IMS
 * access token is held or can be obtained and the circuit breaker lets requests through;
 * {@code DOWN} with a {@code reason} otherwise; {@code OUT_OF_SERVICE} once the delivery
 * engine has stopped accepting events because the application is shutting down.
 * <p>
 * The check costs nothing while a token is held: it asks the token manager for its
 * {@linkplain ImsTokenManager#getUsableToken() usable token}, the one senders get, and
 * only when there is none asks {@link ImsTokenManager#getToken()} once, which joins the
 * single token request in flight rather than starting one per health check, and waits for
 * it at most the {@linkplain #setTokenTimeout(Duration) token timeout}. A wait that runs
 * out does not cancel the request, which senders may be waiting for too.
 * <p>
 * The details are {@code connectionId}, {@code tokenExpiresAt} and
 * {@code tokenObtainedAt} (ISO-8601 instants of the token last obtained, absent for an
 * unauthenticated connection or before the first token), {@code lastAcknowledgedAt}
 * ({@code never} before AEP first acknowledged an event), {@code circuitBreaker} (the
 * Resilience4j state, or {@code disabled}), {@code bufferedEvents} and, unless the
 * connection is {@code UP}, {@code reason}. They never include the token, the client
 * secret or an {@code Authorization} header; {@link ImsTokenException} messages never
 * contain them either.
 * <p>
 * This is a blocking {@link HealthIndicator} rather than a reactive one because Spring
 * Boot runs a blocking indicator as it is in a servlet application and, in a reactive
 * one, adapts it onto the bounded elastic scheduler, where the rare bounded wait for a
 * token blocks no event loop; a reactive indicator would instead be blocked on in a
 * servlet application. The common case, a token held, does no I/O at all.
 *
 * @author aep-streaming
 */
public final class AepStreamingHealthIndicator implements HealthIndicator {

	private static final String OPEN_STATE_WAIT_PROPERTY = "aep.streaming.circuit-breaker.wait-duration-in-open-state";

	private final DeliveryEngine deliveryEngine;

	@Nullable private final ImsTokenManager tokenManager;

	private Duration tokenTimeout = Duration.ofSeconds(10);

	/**
	 * Create a new indicator.
	 * @param deliveryEngine the engine that delivers to the connection
	 * @param tokenManager the manager of the connection's IMS token, or {@code null} for
	 * an unauthenticated connection
	 */
	public AepStreamingHealthIndicator(DeliveryEngine deliveryEngine, @Nullable ImsTokenManager tokenManager) {
		Assert.notNull(deliveryEngine, "'deliveryEngine' must not be null");
		this.deliveryEngine = deliveryEngine;
		this.tokenManager = tokenManager;
	}

	/**
	 * Set how long a health check waits for a token when none is held.
	 * @param tokenTimeout the longest wait
	 */
	public void setTokenTimeout(Duration tokenTimeout) {
		Assert.isTrue(tokenTimeout != null && !tokenTimeout.isNegative() && !tokenTimeout.isZero(),
				"'tokenTimeout' must be positive");
		this.tokenTimeout = tokenTimeout;
	}

	@Override
	public Health health() {
		if (!this.deliveryEngine.isAccepting()) {
			return withDetails(Health.outOfService(),
					List.of("The delivery engine of connection '" + this.deliveryEngine.getConnectionId()
							+ "' no longer accepts events: the application is shutting down"));
		}
		List<String> reasons = new ArrayList<>();
		checkToken(reasons);
		checkCircuitBreaker(reasons);
		return withDetails(reasons.isEmpty() ? Health.up() : Health.down(), reasons);
	}

	private void checkToken(List<String> reasons) {
		// The token manager's own notion of a usable token, which ends a little before
		// expiry, so that the check never says UP while sends wait for a new token
		if (this.tokenManager == null || this.tokenManager.getUsableToken().isPresent()) {
			return;
		}
		CompletableFuture<ImsAccessToken> token = this.tokenManager.getToken().toFuture();
		try {
			token.get(this.tokenTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			reasons.add((ex.getCause() instanceof ImsTokenException failure) ? failure.getMessage()
					: "The IMS token request of client id '" + this.tokenManager.getClientId() + "' failed: "
							+ ex.getCause().getClass().getName());
		}
		catch (TimeoutException ex) {
			reasons.add(this.tokenManager.getLastFailure()
				.map(ImsTokenException::getMessage)
				.orElseGet(() -> "No IMS access token for client id '" + this.tokenManager.getClientId() + "' within "
						+ this.tokenTimeout.toMillis() + " ms (aep.streaming.ims.token-request-timeout)"));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reasons.add("Interrupted while waiting for an IMS access token for client id '"
					+ this.tokenManager.getClientId() + "'");
		}
	}

	private void checkCircuitBreaker(List<String> reasons) {
		CircuitBreaker circuitBreaker = this.deliveryEngine.getCircuitBreaker();
		if (circuitBreaker == null) {
			return;
		}
		String prefix = "The circuit breaker of connection '" + this.deliveryEngine.getConnectionId() + "' is ";
		switch (circuitBreaker.getState()) {
			case OPEN -> reasons.add(prefix + "OPEN after too many failed requests: sends fail fast without a "
					+ "request until " + OPEN_STATE_WAIT_PROPERTY + " has passed");
			case HALF_OPEN -> reasons.add(prefix + "HALF_OPEN: only trial requests reach AEP and other sends fail "
					+ "fast; it opens again for " + OPEN_STATE_WAIT_PROPERTY + " if the trials fail");
			case FORCED_OPEN -> reasons.add(prefix + "FORCED_OPEN: every send fails fast without a request until "
					+ "the circuit breaker is transitioned to another state");
			default -> {
				// CLOSED, DISABLED and METRICS_ONLY let every request through
			}
		}
	}

	private Health withDetails(Health.Builder builder, List<String> reasons) {
		builder.withDetail("connectionId", this.deliveryEngine.getConnectionId());
		if (this.tokenManager != null) {
			this.tokenManager.getCurrentToken().ifPresent((token) -> {
				builder.withDetail("tokenExpiresAt", token.getExpiresAt().toString());
				builder.withDetail("tokenObtainedAt", token.getObtainedAt().toString());
			});
		}
		Instant lastAcknowledged = this.deliveryEngine.getLastAcknowledged();
		builder.withDetail("lastAcknowledgedAt", (lastAcknowledged != null) ? lastAcknowledged.toString() : "never");
		CircuitBreaker circuitBreaker = this.deliveryEngine.getCircuitBreaker();
		builder.withDetail("circuitBreaker", (circuitBreaker != null) ? circuitBreaker.getState().name() : "disabled");
		builder.withDetail("bufferedEvents", this.deliveryEngine.getBufferedCount());
		if (!reasons.isEmpty()) {
			builder.withDetail("reason", String.join("; ", reasons));
		}
		return builder.build();
	}

}
