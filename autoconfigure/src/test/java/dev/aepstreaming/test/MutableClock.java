package dev.aepstreaming.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.util.Assert;

/**
 * A {@link Clock} that stands still until a test moves it, so that expiry, refresh and
 * backoff decisions can be tested without sleeping. Safe for use by several threads: the
 * instant is one atomic reference, shared by every clock derived with {@link #withZone}.
 *
 * @author aep-streaming
 */
public final class MutableClock extends Clock {

	private final AtomicReference<Instant> instant;

	private final ZoneId zone;

	/**
	 * Create a clock in UTC that stands at the given instant.
	 * @param instant the instant to start at
	 */
	public MutableClock(Instant instant) {
		this(new AtomicReference<>(instant), ZoneOffset.UTC);
		Assert.notNull(instant, "'instant' must not be null");
	}

	private MutableClock(AtomicReference<Instant> instant, ZoneId zone) {
		this.instant = instant;
		this.zone = zone;
	}

	/**
	 * Move the clock forward.
	 * @param duration how far, not negative
	 * @return the new instant
	 */
	public Instant advance(Duration duration) {
		Assert.isTrue(duration != null && !duration.isNegative(), "'duration' must not be negative");
		return this.instant.updateAndGet((now) -> now.plus(duration));
	}

	/**
	 * Set the clock to the given instant, forward or backward.
	 * @param instant the new instant
	 */
	public void set(Instant instant) {
		Assert.notNull(instant, "'instant' must not be null");
		this.instant.set(instant);
	}

	@Override
	public Instant instant() {
		return this.instant.get();
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		Assert.notNull(zone, "'zone' must not be null");
		return new MutableClock(this.instant, zone);
	}

	@Override
	public String toString() {
		return "MutableClock[" + this.instant.get() + "," + this.zone + "]";
	}

}
