package dev.aepstreaming.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free log that keeps the most recent entries up to a capacity and counts every
 * entry ever added, so that a long benchmark neither exhausts memory nor loses its
 * totals.
 * <p>
 * Under concurrent adds the retained size may briefly exceed the capacity by the number
 * of adding threads; the total is always exact.
 *
 * @param <T> the entry type
 * @author aep-streaming
 */
final class BoundedLog<T> {

	private final int capacity;

	private final Queue<T> entries = new ConcurrentLinkedQueue<>();

	private final AtomicInteger retained = new AtomicInteger();

	private final AtomicLong total = new AtomicLong();

	BoundedLog(int capacity) {
		this.capacity = capacity;
	}

	void add(T entry) {
		this.total.incrementAndGet();
		if (this.capacity == 0) {
			return;
		}
		this.entries.add(entry);
		if (this.retained.incrementAndGet() > this.capacity && this.entries.poll() != null) {
			this.retained.decrementAndGet();
		}
	}

	List<T> snapshot() {
		return List.copyOf(new ArrayList<>(this.entries));
	}

	long total() {
		return this.total.get();
	}

	int retained() {
		return Math.min(this.retained.get(), this.capacity);
	}

	void clear() {
		this.entries.clear();
		this.retained.set(0);
		this.total.set(0);
	}

}
