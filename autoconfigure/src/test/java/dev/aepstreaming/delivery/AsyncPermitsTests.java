package dev.aepstreaming.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AsyncPermits}.
 *
 * @author aep-streaming
 */
class AsyncPermitsTests {

	private static final Duration LONG_WAIT = Duration.ofSeconds(30);

	private static final int RACE_ITERATIONS = 5_000;

	private static final int WAKEUP_ITERATIONS = 20_000;

	/**
	 * How long the lost-wakeup race may run: on a busy machine its two threads rarely run
	 * at the same instant, and each iteration costs more.
	 */
	private static final Duration WAKEUP_TIME_BUDGET = Duration.ofSeconds(5);

	private final ExecutorService threads = Executors.newFixedThreadPool(2);

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void freePermitIsTakenWithoutWaiting() {
		AsyncPermits permits = new AsyncPermits(2);
		StepVerifier.create(permits.acquire(Duration.ZERO)).verifyComplete();
		StepVerifier.create(permits.acquire(Duration.ZERO)).verifyComplete();
		assertThat(permits.inUse()).isEqualTo(2);
		assertThat(permits.waiting()).isZero();
	}

	@Test
	void releasedPermitIsHandedToTheWaitersInTheOrderTheyArrived() {
		AsyncPermits permits = heldPermit();
		List<String> granted = new CopyOnWriteArrayList<>();
		permits.acquire(LONG_WAIT).subscribe(null, null, () -> granted.add("first"));
		permits.acquire(LONG_WAIT).subscribe(null, null, () -> granted.add("second"));
		assertThat(permits.waiting()).isEqualTo(2);
		permits.release();
		assertThat(granted).containsExactly("first");
		permits.acquire(LONG_WAIT).subscribe(null, null, () -> granted.add("newcomer"));
		assertThat(granted).as("a newcomer must not overtake a waiter").containsExactly("first");
		permits.release();
		assertThat(granted).containsExactly("first", "second");
		permits.release();
		assertThat(granted).containsExactly("first", "second", "newcomer");
		assertThat(permits.inUse()).isEqualTo(1);
		assertThat(permits.waiting()).isZero();
	}

	@Test
	void waiterThatGetsNoPermitInTimeFailsWithATimeoutAndHoldsNothing() {
		AsyncPermits permits = heldPermit();
		StepVerifier.withVirtualTime(() -> permits.acquire(Duration.ofSeconds(5)))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(4_999))
			.thenAwait(Duration.ofMillis(1))
			.expectError(TimeoutException.class)
			.verify(LONG_WAIT);
		assertThat(permits.waiting()).isZero();
		permits.release();
		assertThat(permits.inUse()).isZero();
	}

	@Test
	void waiterThatCancelsIsSkippedAndLeaksNoPermit() {
		AsyncPermits permits = heldPermit();
		List<String> granted = new CopyOnWriteArrayList<>();
		Disposable cancelled = permits.acquire(LONG_WAIT).subscribe(null, null, () -> granted.add("cancelled"));
		permits.acquire(LONG_WAIT).subscribe(null, null, () -> granted.add("waiting"));
		cancelled.dispose();
		assertThat(permits.waiting()).isEqualTo(1);
		permits.release();
		assertThat(granted).containsExactly("waiting");
		permits.release();
		assertThat(permits.inUse()).isZero();
		assertThat(permits.waiting()).isZero();
	}

	@Test
	void cancellationRacingAGrantNeverLeaksAPermit() throws Exception {
		for (int i = 0; i < RACE_ITERATIONS; i++) {
			AsyncPermits permits = heldPermit();
			AtomicBoolean granted = new AtomicBoolean();
			Disposable waiter = permits.acquire(LONG_WAIT).subscribe(null, null, () -> granted.set(true));
			race(permits::release, waiter::dispose);
			if (granted.get()) {
				assertThat(permits.inUse()).as("permits in use after a grant in iteration %d", i).isEqualTo(1);
				permits.release();
			}
			assertThat(permits.inUse()).as("permits in use after iteration %d", i).isZero();
			assertThat(permits.waiting()).isZero();
		}
	}

	@Test
	void grantRacingATimeoutNeverLeaksNorGrantsTwice() throws Exception {
		int granted = 0;
		for (int i = 0; i < RACE_ITERATIONS; i++) {
			AsyncPermits permits = heldPermit();
			CompletableFuture<Void> waiter = permits.acquire(Duration.ofNanos(1)).toFuture();
			permits.release();
			if (settle(waiter)) {
				granted++;
				assertThat(permits.inUse()).as("permits in use after a grant in iteration %d", i).isEqualTo(1);
				permits.release();
			}
			assertThat(permits.inUse()).as("permits in use after iteration %d", i).isZero();
			StepVerifier.create(permits.acquire(Duration.ZERO)).verifyComplete();
			StepVerifier.create(permits.acquire(Duration.ZERO)).expectError(TimeoutException.class).verify(LONG_WAIT);
		}
		assertThat(granted).isBetween(0, RACE_ITERATIONS);
	}

	@Test
	void permitReleasedWhileAWaiterEnqueuesIsNeverLeftIdle() throws Exception {
		long deadline = System.nanoTime() + WAKEUP_TIME_BUDGET.toNanos();
		int iterations = 0;
		for (int i = 0; i < WAKEUP_ITERATIONS && System.nanoTime() < deadline; i++) {
			iterations++;
			AsyncPermits permits = heldPermit();
			AtomicReference<CompletableFuture<Void>> waiter = new AtomicReference<>();
			int offset = i % 64;
			race(permits::release, () -> waiter.set(permits.acquire(Duration.ofSeconds(5)).toFuture()), offset);
			assertThat(settle(waiter.get())).as("waiter got the released permit in iteration %d", i).isTrue();
			assertThat(permits.inUse()).isEqualTo(1);
		}
		assertThat(iterations).isGreaterThanOrEqualTo(500);
	}

	/**
	 * Run two actions on two threads at nearly the same instant: both spin until a common
	 * start signal, and the second then spins a little longer, by a varying offset, so
	 * that across iterations every interleaving of the two actions is tried.
	 */
	private void race(Runnable first, Runnable second, int offset) throws Exception {
		AtomicInteger ready = new AtomicInteger();
		Future<?> one = this.threads.submit(() -> spinThen(ready, 0, first));
		Future<?> two = this.threads.submit(() -> spinThen(ready, offset, second));
		one.get(10, TimeUnit.SECONDS);
		two.get(10, TimeUnit.SECONDS);
	}

	private static void spinThen(AtomicInteger ready, int offset, Runnable action) {
		ready.incrementAndGet();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (ready.get() < 2 && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		for (int i = 0; i < offset; i++) {
			Thread.onSpinWait();
		}
		action.run();
	}

	private void race(Runnable first, Runnable second) throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		Future<?> one = this.threads.submit(() -> awaitThen(start, first));
		Future<?> two = this.threads.submit(() -> awaitThen(start, second));
		one.get(10, TimeUnit.SECONDS);
		two.get(10, TimeUnit.SECONDS);
	}

	private static void awaitThen(CyclicBarrier start, Runnable action) {
		try {
			start.await(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		action.run();
	}

	/**
	 * Wait for an acquisition to end.
	 * @return whether the permit was granted, {@code false} if the wait timed out
	 */
	private static boolean settle(CompletableFuture<Void> acquisition) throws Exception {
		try {
			acquisition.get(10, TimeUnit.SECONDS);
			return true;
		}
		catch (ExecutionException ex) {
			assertThat(ex.getCause()).isInstanceOf(TimeoutException.class);
			return false;
		}
	}

	private static AsyncPermits heldPermit() {
		AsyncPermits permits = new AsyncPermits(1);
		StepVerifier.create(permits.acquire(Duration.ZERO)).verifyComplete();
		return permits;
	}

}
