package dev.aepstreaming.benchmarks;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoadHarness}.
 *
 * @author aep-streaming
 */
class LoadHarnessTests {

	@Test
	void keepsTheGivenNumberOfSendsInFlight() {
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger mostInFlight = new AtomicInteger();
		LoadResult result = LoadHarness.runFor(() -> Mono.defer(() -> {
			mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			return Mono.delay(Duration.ofMillis(50)).doOnNext((tick) -> inFlight.decrementAndGet());
		}), 4, Duration.ofMillis(500), null);
		assertThat(mostInFlight).hasValue(4);
		assertThat(result.successes()).isPositive();
		assertThat(result.failures()).isZero();
		assertThat(result.latencies().getTotalCount()).isEqualTo(result.successes());
	}

	@Test
	void runsForTheGivenTimeAndThenWaitsForSendsInFlight() {
		LoadResult result = LoadHarness.runFor(() -> Mono.delay(Duration.ofMillis(50)), 2, Duration.ofMillis(120),
				null);
		assertThat(result.elapsedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
		assertThat(result.p50Millis()).isGreaterThanOrEqualTo(50);
		assertThat(result.throughput()).isBetween(10.0, 60.0);
	}

	@Test
	void countsFailuresAndKeepsTheFirst() {
		AtomicInteger calls = new AtomicInteger();
		LoadResult result = LoadHarness.runFor(
				() -> Mono.defer(() -> Mono.delay(Duration.ofMillis(1))
					.then(Mono.error(new IllegalStateException("send " + calls.incrementAndGet())))),
				1, Duration.ofMillis(50), null);
		assertThat(result.successes()).isZero();
		assertThat(result.failures()).isPositive();
		assertThat(result.firstFailure()).hasMessage("send 1");
	}

	@Test
	void logsTheStartAndLatencyOfEachSend() {
		SampleLog samples = new SampleLog(1_000);
		long before = System.currentTimeMillis();
		LoadResult result = LoadHarness.runFor(() -> Mono.delay(Duration.ofMillis(5)), 1, Duration.ofMillis(50),
				samples);
		assertThat(samples.size()).isEqualTo(result.successes());
		assertThat(samples.startedAtMillis(0)).isGreaterThanOrEqualTo(before);
		assertThat(samples.latencyNanos(0)).isGreaterThanOrEqualTo(Duration.ofMillis(5).toNanos());
	}

}
