package dev.aepstreaming.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * The outcome of one load run.
 *
 * @param concurrency the number of sends kept in flight
 * @param successes the number of successful sends
 * @param failures the number of failed sends
 * @param elapsedNanos the time from the first send to the end of the last
 * @param latencies the latency of successful sends, in nanoseconds
 * @param firstFailure the first failure, or {@code null}
 * @author aep-streaming
 */
record LoadResult(int concurrency, long successes, long failures, long elapsedNanos, Histogram latencies,
		Throwable firstFailure) {

	double throughput() {
		return (this.elapsedNanos > 0) ? this.successes * 1e9 / this.elapsedNanos : 0;
	}

	double p50Millis() {
		return percentileMillis(50);
	}

	double p99Millis() {
		return percentileMillis(99);
	}

	double percentileMillis(double percentile) {
		return (this.latencies.getTotalCount() > 0) ? this.latencies.getValueAtPercentile(percentile) / 1e6 : 0;
	}

}
