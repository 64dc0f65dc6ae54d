package dev.aepstreaming.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingTimeoutException;
import dev.aepstreaming.StreamingTransportException;
import dev.aepstreaming.delivery.ResilientExchange;
import dev.aepstreaming.delivery.RetryBackoff;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;

/**
 * Builds the Resilience4j retry, circuit breaker and rate limiter of a streaming
 * connection from the properties and the customizers, named
 * {@code aep-streaming-<connection-id>} in the given registries.
 *
 * @author aep-streaming
 */
final class AepStreamingResilience {

	private final AepStreamingProperties properties;

	private final String connectionId;

	private final List<AepStreamingResilienceCustomizer> customizers;

	AepStreamingResilience(AepStreamingProperties properties, String connectionId,
			List<AepStreamingResilienceCustomizer> customizers) {
		this.properties = properties;
		this.connectionId = connectionId;
		this.customizers = customizers;
	}

	ResilientExchange exchange(RetryRegistry retryRegistry, CircuitBreakerRegistry circuitBreakerRegistry,
			RateLimiterRegistry rateLimiterRegistry) {
		String name = "aep-streaming-" + this.connectionId;
		AepStreamingProperties.Retry retry = this.properties.getRetry();
		return new ResilientExchange(this.connectionId,
				retry.isEnabled() ? retryRegistry.retry(name, retryConfig()) : null,
				this.properties.getCircuitBreaker().isEnabled()
						? circuitBreakerRegistry.circuitBreaker(name, circuitBreakerConfig()) : null,
				this.properties.getRateLimit().isEnabled() ? rateLimiterRegistry.rateLimiter(name, rateLimiterConfig())
						: null,
				this.properties.getMaxInFlight(), retry.getMaxDuration(), Clock.systemUTC());
	}

	/**
	 * Retry what {@link AepStreamingException#isRetryable()} says may succeed later: rate
	 * limits, server errors, timeouts and connection failures; never a 400, a 413 or a
	 * refused credential.
	 */
	private RetryConfig retryConfig() {
		AepStreamingProperties.Retry retry = this.properties.getRetry();
		RetryConfig.Builder<Object> builder = RetryConfig.custom()
			.maxAttempts(retry.getMaxAttempts())
			.intervalBiFunction(
					new RetryBackoff(retry.getInitialBackoff(), retry.getMaxBackoff(), retry.getMultiplier()))
			.retryOnException((ex) -> ex instanceof AepStreamingException failure && failure.isRetryable());
		this.customizers.forEach((customizer) -> customizer.customizeRetry(builder));
		return builder.build();
	}

	/**
	 * Count as failures only what says the endpoint is unwell: server errors, timeouts
	 * and connection failures. A refused message or a rate limit shows a working
	 * endpoint.
	 */
	private CircuitBreakerConfig circuitBreakerConfig() {
		AepStreamingProperties.CircuitBreaker circuitBreaker = this.properties.getCircuitBreaker();
		CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.custom()
			.failureRateThreshold(circuitBreaker.getFailureRateThreshold())
			.slidingWindowSize(circuitBreaker.getSlidingWindowSize())
			.minimumNumberOfCalls(circuitBreaker.getMinimumNumberOfCalls())
			.waitDurationInOpenState(circuitBreaker.getWaitDurationInOpenState())
			.permittedNumberOfCallsInHalfOpenState(circuitBreaker.getPermittedCallsInHalfOpenState())
			.recordException(AepStreamingResilience::isEndpointFailure);
		this.customizers.forEach((customizer) -> customizer.customizeCircuitBreaker(builder));
		return builder.build();
	}

	private RateLimiterConfig rateLimiterConfig() {
		AepStreamingProperties.RateLimit rateLimit = this.properties.getRateLimit();
		RateLimiterConfig.Builder builder = RateLimiterConfig.custom()
			.limitForPeriod(rateLimit.getRequestsPerSecond())
			.limitRefreshPeriod(Duration.ofSeconds(1))
			.timeoutDuration(rateLimit.getMaxWait());
		this.customizers.forEach((customizer) -> customizer.customizeRateLimiter(builder));
		return builder.build();
	}

	private static boolean isEndpointFailure(Throwable ex) {
		return (ex instanceof StreamingServerException server && server.isRetryable())
				|| ex instanceof StreamingTimeoutException
				|| (ex instanceof StreamingTransportException transport && transport.isRetryable());
	}

}
