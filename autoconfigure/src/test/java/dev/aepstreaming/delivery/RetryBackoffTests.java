package dev.aepstreaming.delivery;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import dev.aepstreaming.StreamingRateLimitedException;
import dev.aepstreaming.StreamingServerException;
import io.github.resilience4j.core.functions.Either;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RetryBackoff}.
 *
 * @author aep-streaming
 */
class RetryBackoffTests {

	private static final double HIGHEST_JITTER = Math.nextDown(1.0);

	@Test
	void pauseGrowsByTheMultiplierWithEachRetry() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(60), 2.0,
				fixed(HIGHEST_JITTER));
		assertThat(pauses(backoff, 5)).containsExactly(100L, 200L, 400L, 800L, 1_600L);
	}

	@Test
	void pauseStopsGrowingAtTheMaximum() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(500), 3.0,
				fixed(HIGHEST_JITTER));
		assertThat(pauses(backoff, 5)).containsExactly(100L, 300L, 500L, 500L, 500L);
		assertThat(backoff.apply(1_000, failure())).isEqualTo(500L);
	}

	@Test
	void lowestJitterHalvesThePause() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(500), 2.0, fixed(0.0));
		assertThat(pauses(backoff, 5)).containsExactly(50L, 100L, 200L, 250L, 250L);
	}

	@Test
	void jitteredPauseStaysBetweenHalfAndAllOfTheCappedPause() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0,
				new SplittableRandom(7));
		for (int attempt = 1; attempt <= 20; attempt++) {
			long capped = Math.min(100L << (attempt - 1), 5_000L);
			for (int draw = 0; draw < 200; draw++) {
				assertThat(backoff.apply(attempt, failure())).isBetween(capped / 2, capped);
			}
		}
	}

	@Test
	void retryAfterLongerThanTheBackoffDecidesThePause() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2.0,
				fixed(HIGHEST_JITTER));
		StreamingServerException unavailable = new StreamingServerException("503", 503, Duration.ofSeconds(7));
		assertThat(backoff.apply(1, Either.left(unavailable))).isEqualTo(7_000L);
		assertThat(backoff.apply(10, Either.left(unavailable))).isEqualTo(7_000L);
	}

	@Test
	void backoffLongerThanTheRetryAfterDecidesThePause() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(4), Duration.ofSeconds(10), 2.0,
				fixed(HIGHEST_JITTER));
		StreamingRateLimitedException limited = new StreamingRateLimitedException("429", Duration.ofSeconds(1));
		assertThat(backoff.apply(2, Either.left(limited))).isEqualTo(8_000L);
	}

	@Test
	void failureWithoutRetryAfterUsesTheBackoff() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0, fixed(0.0));
		StreamingRateLimitedException limited = new StreamingRateLimitedException("429", null);
		assertThat(backoff.apply(3, Either.left(limited))).isEqualTo(200L);
		assertThat(backoff.apply(3, Either.left(new IllegalStateException("not AEP's")))).isEqualTo(200L);
		assertThat(backoff.apply(3, Either.right("a result"))).isEqualTo(200L);
	}

	@Test
	void pauseIsNeverShorterThanOneMillisecond() {
		RetryBackoff backoff = new RetryBackoff(Duration.ofNanos(1), Duration.ofNanos(1), 1.0, fixed(0.0));
		assertThat(backoff.apply(1, failure())).isEqualTo(1L);
	}

	@Test
	void settingsThatCannotMakeABackoffAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(1), 2.0))
			.withMessageContaining("initialBackoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2.0))
			.withMessageContaining("maxBackoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5))
			.withMessageContaining("multiplier");
	}

	private static long[] pauses(RetryBackoff backoff, int retries) {
		long[] pauses = new long[retries];
		for (int attempt = 1; attempt <= retries; attempt++) {
			pauses[attempt - 1] = backoff.apply(attempt, failure());
		}
		return pauses;
	}

	private static Either<Throwable, Object> failure() {
		return Either.left(new StreamingServerException("500", 500, null));
	}

	/**
	 * A source of jitter that always draws the same value.
	 */
	private static RandomGenerator fixed(double value) {
		return new RandomGenerator() {

			@Override
			public long nextLong() {
				throw new UnsupportedOperationException();
			}

			@Override
			public double nextDouble() {
				return value;
			}

		};
	}

}
