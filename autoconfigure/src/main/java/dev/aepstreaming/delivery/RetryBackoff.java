package dev.aepstreaming.delivery;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;

import dev.aepstreaming.AepStreamingException;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;

import org.springframework.util.Assert;

/**
 * The pause before a retry: exponential backoff with jitter, never shorter than the
 * {@code Retry-After} that AEP sent. Adobe asks clients to "retry at least three times
 * using an exponential back-off strategy" on {@code 503}, whose {@code Retry-After} says
 * how long to wait; the jitter (a random pause between half and all of the exponential
 * one) keeps many clients that failed together from retrying together.
 *
 * @author aep-streaming
 */
public final class RetryBackoff implements IntervalBiFunction<Object> {

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final double multiplier;

	private final RandomGenerator random;

	/**
	 * Create a new backoff.
	 * @param initialBackoff the pause before the first retry
	 * @param maxBackoff the longest pause, unless AEP asks for a longer one
	 * @param multiplier by how much the pause grows with each retry
	 */
	public RetryBackoff(Duration initialBackoff, Duration maxBackoff, double multiplier) {
		this(initialBackoff, maxBackoff, multiplier, new Random());
	}

	/**
	 * Create a new backoff.
	 * @param initialBackoff the pause before the first retry
	 * @param maxBackoff the longest pause, unless AEP asks for a longer one
	 * @param multiplier by how much the pause grows with each retry
	 * @param random the source of the jitter, safe for use by several threads
	 */
	public RetryBackoff(Duration initialBackoff, Duration maxBackoff, double multiplier, RandomGenerator random) {
		Assert.isTrue(initialBackoff != null && !initialBackoff.isNegative() && !initialBackoff.isZero(),
				"'initialBackoff' must be positive");
		Assert.isTrue(maxBackoff != null && maxBackoff.compareTo(initialBackoff) >= 0,
				"'maxBackoff' must not be shorter than 'initialBackoff'");
		Assert.isTrue(multiplier >= 1, "'multiplier' must be at least 1");
		Assert.notNull(random, "'random' must not be null");
		this.initialBackoff = initialBackoff;
		this.maxBackoff = maxBackoff;
		this.multiplier = multiplier;
		this.random = random;
	}

	@Override
	public Long apply(Integer attempt, Either<Throwable, Object> outcome) {
		double exponential = this.initialBackoff.toMillis() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
		double capped = Math.min(exponential, this.maxBackoff.toMillis());
		long jittered = Math.round(capped * (0.5 + 0.5 * this.random.nextDouble()));
		long retryAfter = retryAfterMillis(outcome);
		return Math.max(Math.max(1, jittered), retryAfter);
	}

	private static long retryAfterMillis(Either<Throwable, Object> outcome) {
		if (outcome != null && outcome.isLeft() && outcome.getLeft() instanceof AepStreamingException failure) {
			return failure.getRetryAfter().map(Duration::toMillis).orElse(0L);
		}
		return 0;
	}

}
