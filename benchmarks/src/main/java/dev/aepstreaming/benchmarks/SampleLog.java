package dev.aepstreaming.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The start time and latency of each send of a run, kept in preallocated arrays so that
 * logging does not disturb what is measured; sends beyond the capacity are not logged.
 *
 * @author aep-streaming
 */
final class SampleLog {

	private final long[] startedAtMillis;

	private final long[] latencyNanos;

	private final AtomicInteger size = new AtomicInteger();

	SampleLog(int capacity) {
		this.startedAtMillis = new long[capacity];
		this.latencyNanos = new long[capacity];
	}

	void add(long startedAtMillis, long latencyNanos) {
		int index = this.size.getAndIncrement();
		if (index < this.startedAtMillis.length) {
			this.startedAtMillis[index] = startedAtMillis;
			this.latencyNanos[index] = latencyNanos;
		}
	}

	int size() {
		return Math.min(this.size.get(), this.startedAtMillis.length);
	}

	long startedAtMillis(int index) {
		return this.startedAtMillis[index];
	}

	long latencyNanos(int index) {
		return this.latencyNanos[index];
	}

}
