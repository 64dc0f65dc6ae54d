package dev.aepstreaming.autoconfigure;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.RetryConfig;

/**
 * Callback to customize the Resilience4j configuration of the streaming connections after
 * the {@code aep.streaming.retry.*}, {@code circuit-breaker.*} and {@code rate-limit.*}
 * properties are applied; called for each connection, which has instances of its own.
 * Instances named {@code aep-streaming-<connection-id>} that are configured in the
 * application's own Resilience4j registries take precedence over both.
 *
 * @author aep-streaming
 */
public interface AepStreamingResilienceCustomizer {

	/**
	 * Customize the retry configuration.
	 * @param builder the builder
	 */
	default void customizeRetry(RetryConfig.Builder<Object> builder) {
	}

	/**
	 * Customize the circuit breaker configuration.
	 * @param builder the builder
	 */
	default void customizeCircuitBreaker(CircuitBreakerConfig.Builder builder) {
	}

	/**
	 * Customize the rate limiter configuration.
	 * @param builder the builder
	 */
	default void customizeRateLimiter(RateLimiterConfig.Builder builder) {
	}

}
