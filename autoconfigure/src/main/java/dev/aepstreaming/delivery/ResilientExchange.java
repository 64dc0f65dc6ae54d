package dev.aepstreaming.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.StreamingCircuitOpenException;
import dev.aepstreaming.StreamingRateLimitedException;
import dev.aepstreaming.StreamingTimeoutException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * Runs one request to AEP with the connection's protection around every attempt,
 * outermost first:
 * <ol>
 * <li>a Resilience4j {@link Retry} of the failures that say so
 * ({@link AepStreamingException#isRetryable()}), pausing as {@link RetryBackoff} says,
 * and giving up once the next attempt would start after the total time allowed;</li>
 * <li>a Resilience4j {@link CircuitBreaker}, so that a dead endpoint fails fast;</li>
 * <li>a Resilience4j {@link RateLimiter}, whose pause delays the attempt without blocking
 * a thread;</li>
 * <li>a cap on requests in flight, whose waiters do not block a thread either
 * ({@link AsyncPermits}); the permit is held only while the request is on the wire, not
 * during the pauses between attempts.</li>
 * </ol>
 * A {@code 401} never reaches the retry: the token layer re-authorizes once by itself.
 *
 * @author aep-streaming
 */
public final class ResilientExchange {

	private final String connectionId;

	@Nullable private final Retry retry;

	@Nullable private final CircuitBreaker circuitBreaker;

	@Nullable private final RateLimiter rateLimiter;

	private final AsyncPermits inFlight;

	private final Duration maxDuration;

	private final Clock clock;

	/**
	 * Create a new exchange.
	 * @param connectionId the connection's id, for messages
	 * @param retry the retry, or {@code null} not to retry
	 * @param circuitBreaker the circuit breaker, or {@code null} for none
	 * @param rateLimiter the rate limiter, or {@code null} for none
	 * @param maxInFlight the most requests on the wire at once
	 * @param maxDuration the longest time from the first attempt to the start of the last
	 * @param clock the clock that measures the time spent
	 */
	public ResilientExchange(String connectionId, @Nullable Retry retry, @Nullable CircuitBreaker circuitBreaker,
			@Nullable RateLimiter rateLimiter, int maxInFlight, Duration maxDuration, Clock clock) {
		Assert.hasText(connectionId, "'connectionId' must not be empty");
		Assert.isTrue(maxDuration != null && !maxDuration.isNegative() && !maxDuration.isZero(),
				"'maxDuration' must be positive");
		Assert.notNull(clock, "'clock' must not be null");
		this.connectionId = connectionId;
		this.retry = retry;
		this.circuitBreaker = circuitBreaker;
		this.rateLimiter = rateLimiter;
		this.inFlight = new AsyncPermits(maxInFlight);
		this.maxDuration = maxDuration;
		this.clock = clock;
	}

	/**
	 * Run a request with retries, circuit breaking, rate limiting and the in-flight cap.
	 * @param <T> the type of the answer
	 * @param request what sends one attempt; called once per attempt
	 * @return the answer of the first attempt that succeeded, or the failure of the last
	 */
	public <T> Mono<T> execute(Supplier<Mono<T>> request) {
		return Mono.defer(() -> {
			Instant deadline = this.clock.instant().plus(this.maxDuration);
			AtomicReference<Throwable> lastFailure = new AtomicReference<>();
			Mono<T> attempts = Mono.defer(() -> startInTime(request, deadline, lastFailure.get()))
				.doOnError(lastFailure::set)
				.onErrorMap((ex) -> outOfTime(ex, deadline), GiveUp::new);
			if (this.retry != null) {
				attempts = attempts.transformDeferred(RetryOperator.of(this.retry));
			}
			return attempts.onErrorMap(GiveUp.class, (ex) -> ex.getCause());
		});
	}

	/**
	 * Return the retry of this exchange.
	 * @return the retry, or {@code null} when requests are not retried
	 */
	public @Nullable Retry getRetry() {
		return this.retry;
	}

	/**
	 * Return the circuit breaker of this exchange.
	 * @return the circuit breaker, or {@code null} when there is none
	 */
	public @Nullable CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	/**
	 * Return how many requests are on the wire.
	 * @return the requests in flight
	 */
	public int getInFlight() {
		return this.inFlight.inUse();
	}

	private <T> Mono<T> guarded(Supplier<Mono<T>> request, Instant deadline) {
		Mono<T> attempt = Mono.usingWhen(
				this.inFlight.acquire(remaining(deadline))
					.onErrorMap(TimeoutException.class, (ex) -> noSlot())
					.thenReturn(Boolean.TRUE),
				(permit) -> request.get(), (permit) -> release(), (permit, ex) -> release(), (permit) -> release());
		if (this.rateLimiter != null) {
			attempt = attempt.transformDeferred(RateLimiterOperator.of(this.rateLimiter));
		}
		if (this.circuitBreaker != null) {
			attempt = attempt.transformDeferred(CircuitBreakerOperator.of(this.circuitBreaker));
		}
		return attempt.onErrorMap(CallNotPermittedException.class, this::circuitOpen)
			.onErrorMap(RequestNotPermitted.class, this::rateLimited);
	}

	private Mono<Void> release() {
		return Mono.fromRunnable(this.inFlight::release);
	}

	/**
	 * Start an attempt, unless a retry's pause has run past the time allowed: the backoff
	 * is Resilience4j's to decide, so only the attempt that follows it can tell.
	 */
	private <T> Mono<T> startInTime(Supplier<Mono<T>> request, Instant deadline, @Nullable Throwable lastFailure) {
		if (lastFailure != null && !this.clock.instant().isBefore(deadline)) {
			return Mono.error(new GiveUp(lastFailure));
		}
		return guarded(request, deadline);
	}

	private boolean outOfTime(Throwable ex, Instant deadline) {
		if (!(ex instanceof AepStreamingException failure) || !failure.isRetryable()) {
			return false;
		}
		Duration retryAfter = failure.getRetryAfter().orElse(Duration.ZERO);
		return !this.clock.instant().plus(retryAfter).isBefore(deadline);
	}

	private Duration remaining(Instant deadline) {
		Duration remaining = Duration.between(this.clock.instant(), deadline);
		return remaining.isNegative() ? Duration.ZERO : remaining;
	}

	private StreamingTimeoutException noSlot() {
		return new StreamingTimeoutException("No request slot to AEP became free on connection '" + this.connectionId
				+ "' within " + this.maxDuration + "; AEP is slower than the producer. Raise "
				+ "aep.streaming.max-in-flight or aep.streaming.retry.max-duration, or send less.", null);
	}

	private AepStreamingException circuitOpen(CallNotPermittedException ex) {
		return new StreamingCircuitOpenException("The circuit breaker of connection '" + this.connectionId
				+ "' is open after too many failed requests to AEP; failing fast until AEP recovers.", ex);
	}

	private AepStreamingException rateLimited(RequestNotPermitted ex) {
		return new StreamingRateLimitedException("The client-side rate limit of connection '" + this.connectionId
				+ "' (aep.streaming.rate-limit.requests-per-second) allowed no request in time.", null);
	}

	/**
	 * Carries a retryable failure past the retry once the time allowed has run out.
	 */
	private static final class GiveUp extends RuntimeException {

		GiveUp(Throwable cause) {
			super(cause.getMessage(), cause, false, false);
		}

	}

}
