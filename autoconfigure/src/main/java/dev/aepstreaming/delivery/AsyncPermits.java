package dev.aepstreaming.delivery;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.util.Assert;

/**
 * A semaphore whose waiters wait without blocking a thread, in arrival order, for at most
 * a given time. Resilience4j's bulkhead waits by blocking the caller's thread, which must
 * never happen on a reactive event loop; this is the small piece that fills that gap.
 * <p>
 * A permit released while waiters queue is handed straight to the first waiter still
 * waiting, and none is forgotten: a waiter that enqueues itself checks once more for a
 * free permit afterwards, a release that finds the queue empty takes its permit back if a
 * waiter enqueued itself meanwhile, and a waiter gives back a permit it was handed after
 * it stopped waiting. Note: in that last race a newcomer may take the returned permit
 * ahead of a queued waiter, so the order is first come, first served in all but that
 * moment.
 *
 * @author aep-streaming
 */
final class AsyncPermits {

	private final int permits;

	private final AtomicInteger available;

	private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

	AsyncPermits(int permits) {
		Assert.isTrue(permits > 0, "'permits' must be positive");
		this.permits = permits;
		this.available = new AtomicInteger(permits);
	}

	/**
	 * Acquire a permit, waiting at most the given time.
	 * @param maxWait the longest wait
	 * @return a {@code Mono} that completes once the permit is held, or fails with a
	 * {@link TimeoutException}
	 */
	Mono<Void> acquire(Duration maxWait) {
		return Mono.defer(() -> {
			if (tryAcquire()) {
				return Mono.empty();
			}
			Waiter waiter = new Waiter();
			this.waiters.add(waiter);
			if (tryAcquire()) {
				if (!waiter.abandon()) {
					release();
				}
				return Mono.empty();
			}
			return waiter.granted.asMono()
				.timeout(maxWait)
				.doOnError((ex) -> giveUp(waiter))
				.doOnCancel(() -> giveUp(waiter));
		});
	}

	/**
	 * Release a permit, handing it to the first waiter still waiting.
	 */
	void release() {
		// A waiter may enqueue itself after the queue looked empty here and check for a
		// free permit before this one is returned: then take the permit back and hand it
		// over, or the waiter would wait while a permit is free
		do {
			Waiter waiter;
			while ((waiter = this.waiters.poll()) != null) {
				if (waiter.grant()) {
					return;
				}
			}
			this.available.incrementAndGet();
		}
		while (!this.waiters.isEmpty() && tryAcquire());
	}

	/**
	 * Return how many permits are held.
	 * @return the permits in use
	 */
	int inUse() {
		return this.permits - Math.max(0, this.available.get());
	}

	/**
	 * Return how many callers are waiting.
	 * @return the number of waiters
	 */
	int waiting() {
		return this.waiters.size();
	}

	private boolean tryAcquire() {
		while (true) {
			int current = this.available.get();
			if (current <= 0) {
				return false;
			}
			if (this.available.compareAndSet(current, current - 1)) {
				return true;
			}
		}
	}

	private void giveUp(Waiter waiter) {
		if (!waiter.abandon()) {
			release();
		}
		this.waiters.remove(waiter);
	}

	/**
	 * One caller waiting for a permit: granted at most once, or abandoned.
	 */
	private static final class Waiter {

		private static final int WAITING = 0;

		private static final int GRANTED = 1;

		private static final int ABANDONED = 2;

		private final AtomicInteger state = new AtomicInteger(WAITING);

		private final Sinks.Empty<Void> granted = Sinks.empty();

		boolean grant() {
			if (this.state.compareAndSet(WAITING, GRANTED)) {
				this.granted.tryEmitEmpty();
				return true;
			}
			return false;
		}

		/**
		 * Stop waiting.
		 * @return {@code false} if a permit was granted before, which the caller must
		 * give back
		 */
		boolean abandon() {
			return this.state.compareAndSet(WAITING, ABANDONED) || this.state.get() == ABANDONED;
		}

	}

}
