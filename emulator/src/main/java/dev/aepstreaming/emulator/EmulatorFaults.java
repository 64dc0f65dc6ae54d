package dev.aepstreaming.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * The faults that the emulator injects, changeable at any time from Java or through the
 * {@code /emulator/faults} control endpoints (see {@link AepEmulator}).
 * <p>
 * Per endpoint ({@link EmulatorEndpoint}) it holds an {@link EndpointFaults}: error rates
 * for 429, 500 and 503 with their {@code Retry-After}, a rate of dropped connections, an
 * added latency and a rate of slow responses. For the token endpoint it can also hold a
 * {@link TokenOutage}: during that span of the emulator's clock every token request is
 * answered {@code 503} (with {@code Retry-After} counting down to its end) or has its
 * connection dropped, as in an IMS incident.
 * <p>
 * Random decisions come from a {@link SplittableRandom} seeded with {@link #seed(long)},
 * so that a test sending its requests one after the other sees the same faults on every
 * run. The generator is consulted, under a lock, only for an endpoint that has a rate
 * configured: without faults the request path takes no lock.
 *
 * @author aep-streaming
 */
public final class EmulatorFaults {

	private final Clock clock;

	private final long initialSeed;

	private final Map<EmulatorEndpoint, AtomicReference<EndpointFaults>> endpoints = new EnumMap<>(
			EmulatorEndpoint.class);

	private final AtomicReference<TokenOutage> tokenOutage = new AtomicReference<>();

	private final Object randomLock = new Object();

	private RandomGenerator random;

	private long seed;

	EmulatorFaults(Clock clock, long seed) {
		this.clock = clock;
		this.initialSeed = seed;
		for (EmulatorEndpoint endpoint : EmulatorEndpoint.values()) {
			this.endpoints.put(endpoint, new AtomicReference<>(EndpointFaults.NONE));
		}
		seed(seed);
	}

	/**
	 * Return the faults of an endpoint.
	 * @param endpoint the endpoint
	 * @return its faults
	 */
	public EndpointFaults get(EmulatorEndpoint endpoint) {
		return this.endpoints.get(endpoint).get();
	}

	/**
	 * Replace the faults of an endpoint.
	 * @param endpoint the endpoint
	 * @param faults its new faults
	 * @return this instance
	 */
	public EmulatorFaults set(EmulatorEndpoint endpoint, EndpointFaults faults) {
		Objects.requireNonNull(faults, "faults must not be null");
		this.endpoints.get(endpoint).set(faults);
		return this;
	}

	/**
	 * Answer a share of an endpoint's requests with an error status.
	 * @param endpoint the endpoint
	 * @param status 429, 500 or 503
	 * @param rate the share of requests, from 0 to 1
	 * @return this instance
	 */
	public EmulatorFaults errorRate(EmulatorEndpoint endpoint, int status, double rate) {
		return update(endpoint, (faults) -> faults.withErrorRate(status, rate));
	}

	/**
	 * Set the {@code Retry-After} of an endpoint's 429 and 503 answers.
	 * @param endpoint the endpoint
	 * @param retryAfter the delay in whole seconds, zero to send no header
	 * @return this instance
	 */
	public EmulatorFaults retryAfter(EmulatorEndpoint endpoint, Duration retryAfter) {
		return update(endpoint, (faults) -> faults.withRetryAfter(retryAfter));
	}

	/**
	 * Delay every answer of an endpoint.
	 * @param endpoint the endpoint
	 * @param latency the added delay
	 * @return this instance
	 */
	public EmulatorFaults latency(EmulatorEndpoint endpoint, Duration latency) {
		return update(endpoint, (faults) -> faults.withLatency(latency));
	}

	/**
	 * Delay a share of an endpoint's answers by an extra delay.
	 * @param endpoint the endpoint
	 * @param rate the share of requests, from 0 to 1
	 * @param delay the extra delay
	 * @return this instance
	 */
	public EmulatorFaults slowResponses(EmulatorEndpoint endpoint, double rate, Duration delay) {
		return update(endpoint, (faults) -> faults.withSlowResponses(rate, delay));
	}

	/**
	 * Close a share of an endpoint's connections without answering.
	 * @param endpoint the endpoint
	 * @param rate the share of requests, from 0 to 1
	 * @return this instance
	 */
	public EmulatorFaults dropConnections(EmulatorEndpoint endpoint, double rate) {
		return update(endpoint, (faults) -> faults.withDropRate(rate));
	}

	/**
	 * Start an outage of the token endpoint now, by the emulator's clock.
	 * @param duration how long the outage lasts
	 * @param mode how the token endpoint fails meanwhile
	 * @return this instance
	 */
	public EmulatorFaults tokenOutage(Duration duration, OutageMode mode) {
		Instant start = this.clock.instant();
		return tokenOutage(start, start.plus(duration), mode);
	}

	/**
	 * Schedule an outage of the token endpoint, by the emulator's clock.
	 * @param start the first instant of the outage
	 * @param end the first instant after the outage
	 * @param mode how the token endpoint fails meanwhile
	 * @return this instance
	 */
	public EmulatorFaults tokenOutage(Instant start, Instant end, OutageMode mode) {
		this.tokenOutage.set(new TokenOutage(start, end, mode));
		return this;
	}

	/**
	 * Return the scheduled outage of the token endpoint, past, present or future.
	 * @return the outage, if any
	 */
	public Optional<TokenOutage> tokenOutage() {
		return Optional.ofNullable(this.tokenOutage.get());
	}

	/**
	 * Cancel the outage of the token endpoint.
	 * @return this instance
	 */
	public EmulatorFaults clearTokenOutage() {
		this.tokenOutage.set(null);
		return this;
	}

	/**
	 * Restart the random sequence that decides faults.
	 * @param seed the seed
	 * @return this instance
	 */
	public EmulatorFaults seed(long seed) {
		synchronized (this.randomLock) {
			this.seed = seed;
			this.random = new SplittableRandom(seed);
		}
		return this;
	}

	/**
	 * Return the seed of the current random sequence.
	 * @return the seed
	 */
	public long seed() {
		synchronized (this.randomLock) {
			return this.seed;
		}
	}

	/**
	 * Remove every fault and the token outage, and restart the random sequence with the
	 * seed the emulator was built with.
	 */
	public void reset() {
		this.endpoints.values().forEach((faults) -> faults.set(EndpointFaults.NONE));
		this.tokenOutage.set(null);
		seed(this.initialSeed);
	}

	FaultDecision decide(EmulatorEndpoint endpoint) {
		EndpointFaults faults = get(endpoint);
		if (endpoint == EmulatorEndpoint.TOKEN) {
			FaultDecision outage = decideOutage(faults);
			if (outage != null) {
				return outage;
			}
		}
		if (!faults.needsRandom()) {
			return FaultDecision.proceed(faults.latency());
		}
		double draw;
		boolean slow;
		synchronized (this.randomLock) {
			draw = this.random.nextDouble();
			slow = faults.slowRate() > 0 && this.random.nextDouble() < faults.slowRate();
		}
		Duration delay = slow ? faults.latency().plus(faults.slowDelay()) : faults.latency();
		return decide(faults, draw, delay);
	}

	private FaultDecision decideOutage(EndpointFaults faults) {
		TokenOutage outage = this.tokenOutage.get();
		Instant now = this.clock.instant();
		if (outage == null || !outage.isActiveAt(now)) {
			return null;
		}
		if (outage.mode() == OutageMode.DROP) {
			return new FaultDecision(FaultDecision.Kind.DROP, 0, Duration.ZERO, faults.latency());
		}
		long remainingMillis = Duration.between(now, outage.end()).toMillis();
		Duration retryAfter = Duration.ofSeconds(Math.max(1, (remainingMillis + 999) / 1000));
		return new FaultDecision(FaultDecision.Kind.ERROR, 503, retryAfter, faults.latency());
	}

	private static FaultDecision decide(EndpointFaults faults, double draw, Duration delay) {
		double threshold = faults.dropRate();
		if (draw < threshold) {
			return new FaultDecision(FaultDecision.Kind.DROP, 0, Duration.ZERO, delay);
		}
		threshold += faults.rate429();
		if (draw < threshold) {
			return new FaultDecision(FaultDecision.Kind.ERROR, 429, faults.retryAfter(), delay);
		}
		threshold += faults.rate500();
		if (draw < threshold) {
			return new FaultDecision(FaultDecision.Kind.ERROR, 500, Duration.ZERO, delay);
		}
		threshold += faults.rate503();
		if (draw < threshold) {
			return new FaultDecision(FaultDecision.Kind.ERROR, 503, faults.retryAfter(), delay);
		}
		return FaultDecision.proceed(delay);
	}

	private EmulatorFaults update(EmulatorEndpoint endpoint, UnaryOperator<EndpointFaults> change) {
		this.endpoints.get(endpoint).updateAndGet(change);
		return this;
	}

	/**
	 * How the token endpoint fails during an outage.
	 */
	public enum OutageMode {

		/**
		 * Answer {@code 503} with a {@code Retry-After} up to the end of the outage.
		 */
		UNAVAILABLE,

		/**
		 * Close the connection without answering.
		 */
		DROP

	}

	/**
	 * A span of the emulator's clock during which the token endpoint fails.
	 *
	 * @param start the first instant of the outage
	 * @param end the first instant after the outage
	 * @param mode how the token endpoint fails
	 */
	public record TokenOutage(Instant start, Instant end, OutageMode mode) {

		public TokenOutage {
			Objects.requireNonNull(start, "start must not be null");
			Objects.requireNonNull(end, "end must not be null");
			Objects.requireNonNull(mode, "mode must not be null");
			if (end.isBefore(start)) {
				throw new IllegalArgumentException("end must not be before start");
			}
		}

		/**
		 * Return whether the outage is in progress.
		 * @param now the current instant
		 * @return whether {@code now} is within the outage
		 */
		public boolean isActiveAt(Instant now) {
			return !now.isBefore(this.start) && now.isBefore(this.end);
		}

	}

}
