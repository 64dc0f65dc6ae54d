package dev.aepstreaming.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;
import reactor.core.publisher.Mono;

/**
 * One client in a comparison, with what its measured rounds added up to and what a
 * counter of the comparison (token requests, or requests received) moved by meanwhile.
 * Rounds of the contenders of a comparison alternate, so that drift of the machine hits
 * all alike.
 *
 * @author aep-streaming
 */
final class Contender {

	private final String name;

	private final Supplier<Mono<?>> sender;

	private final LongSupplier counter;

	private final Histogram latencies = new Histogram(Duration.ofMinutes(2).toNanos(), 3);

	private final List<Double> roundThroughputs = new ArrayList<>();

	private long successes;

	private long failures;

	private long elapsedNanos;

	private long warmupCount;

	private long measuredCount;

	private Throwable firstFailure;

	Contender(String name, Supplier<Mono<?>> sender, LongSupplier counter) {
		this.name = name;
		this.sender = sender;
		this.counter = counter;
	}

	String name() {
		return this.name;
	}

	Supplier<Mono<?>> sender() {
		return this.sender;
	}

	void warmUp(int concurrency, Duration duration) {
		long before = this.counter.getAsLong();
		LoadResult result = LoadHarness.runFor(this.sender, concurrency, duration, null);
		this.warmupCount += this.counter.getAsLong() - before;
		if (result.failures() > 0 && this.firstFailure == null) {
			this.firstFailure = result.firstFailure();
		}
	}

	LoadResult round(int concurrency, Duration duration) {
		long before = this.counter.getAsLong();
		LoadResult result = LoadHarness.runFor(this.sender, concurrency, duration, null);
		this.measuredCount += this.counter.getAsLong() - before;
		this.successes += result.successes();
		this.failures += result.failures();
		this.elapsedNanos += result.elapsedNanos();
		this.latencies.add(result.latencies());
		this.roundThroughputs.add(result.throughput());
		if (this.firstFailure == null) {
			this.firstFailure = result.firstFailure();
		}
		return result;
	}

	void addWarmupCount(long count) {
		this.warmupCount += count;
	}

	double throughput() {
		return (this.elapsedNanos > 0) ? this.successes * 1e9 / this.elapsedNanos : 0;
	}

	List<Double> roundThroughputs() {
		return this.roundThroughputs;
	}

	double percentileMillis(double percentile) {
		return (this.latencies.getTotalCount() > 0) ? this.latencies.getValueAtPercentile(percentile) / 1e6 : 0;
	}

	long successes() {
		return this.successes;
	}

	long failures() {
		return this.failures;
	}

	long warmupCount() {
		return this.warmupCount;
	}

	long measuredCount() {
		return this.measuredCount;
	}

	Throwable firstFailure() {
		return this.firstFailure;
	}

	static void alternate(List<Contender> contenders, int concurrency, BenchmarkSettings settings) {
		contenders.forEach((contender) -> contender.warmUp(concurrency, settings.warmup()));
		for (int i = 0; i < settings.rounds(); i++) {
			contenders.forEach((contender) -> contender.round(concurrency, settings.round()));
		}
	}

}
