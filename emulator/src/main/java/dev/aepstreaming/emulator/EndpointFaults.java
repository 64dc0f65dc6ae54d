package dev.aepstreaming.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * The faults injected into one endpoint: an immutable value, replaced as a whole so that
 * the request path reads a consistent set with a single volatile read.
 * <p>
 * For every request one random draw decides between a dropped connection, a 429, a 500, a
 * 503 and normal processing, in that order of the rates; the rates therefore must not add
 * up to more than 1. Independently, {@code slowRate} of the requests wait an extra
 * {@code slowDelay}, and every request waits {@code latency}.
 *
 * @param rate429 the share of requests answered {@code 429 Too Many Requests}
 * @param rate500 the share of requests answered {@code 500 Internal Server Error}
 * @param rate503 the share of requests answered {@code 503 Service Unavailable}
 * @param dropRate the share of requests whose connection is closed without a response
 * @param retryAfter the {@code Retry-After} sent with 429 and 503 answers, in whole
 * seconds; zero to send none. AEP documents the header for 503 only, so a client must
 * cope with a 429 without it
 * @param latency the delay added before answering every request
 * @param slowRate the share of requests that additionally wait {@code slowDelay}
 * @param slowDelay the extra delay of a slow response
 * @author aep-streaming
 */
public record EndpointFaults(double rate429, double rate500, double rate503, double dropRate, Duration retryAfter,
		Duration latency, double slowRate, Duration slowDelay) {

	/**
	 * No faults: every request is processed normally and without delay. A 429 or 503
	 * would carry {@code Retry-After: 1}.
	 */
	public static final EndpointFaults NONE = new EndpointFaults(0, 0, 0, 0, Duration.ofSeconds(1), Duration.ZERO, 0,
			Duration.ZERO);

	public EndpointFaults {
		requireRate(rate429, "rate429");
		requireRate(rate500, "rate500");
		requireRate(rate503, "rate503");
		requireRate(dropRate, "dropRate");
		requireRate(slowRate, "slowRate");
		if (rate429 + rate500 + rate503 + dropRate > 1.0 + 1e-9) {
			throw new IllegalArgumentException("rate429, rate500, rate503 and dropRate must not add up to more than 1");
		}
		requireNotNegative(retryAfter, "retryAfter");
		requireNotNegative(latency, "latency");
		requireNotNegative(slowDelay, "slowDelay");
	}

	/**
	 * Return a copy that answers the given share of requests with the given status.
	 * @param status 429, 500 or 503
	 * @param rate the share of requests, from 0 to 1
	 * @return the new faults
	 */
	public EndpointFaults withErrorRate(int status, double rate) {
		return switch (status) {
			case 429 -> new EndpointFaults(rate, this.rate500, this.rate503, this.dropRate, this.retryAfter,
					this.latency, this.slowRate, this.slowDelay);
			case 500 -> new EndpointFaults(this.rate429, rate, this.rate503, this.dropRate, this.retryAfter,
					this.latency, this.slowRate, this.slowDelay);
			case 503 -> new EndpointFaults(this.rate429, this.rate500, rate, this.dropRate, this.retryAfter,
					this.latency, this.slowRate, this.slowDelay);
			default -> throw new IllegalArgumentException("Only 429, 500 and 503 can be injected, not " + status);
		};
	}

	/**
	 * Return a copy that closes the given share of connections without answering.
	 * @param rate the share of requests, from 0 to 1
	 * @return the new faults
	 */
	public EndpointFaults withDropRate(double rate) {
		return new EndpointFaults(this.rate429, this.rate500, this.rate503, rate, this.retryAfter, this.latency,
				this.slowRate, this.slowDelay);
	}

	/**
	 * Return a copy with another {@code Retry-After} for 429 and 503 answers.
	 * @param retryAfter the delay, in whole seconds; zero to send no header
	 * @return the new faults
	 */
	public EndpointFaults withRetryAfter(Duration retryAfter) {
		return new EndpointFaults(this.rate429, this.rate500, this.rate503, this.dropRate, retryAfter, this.latency,
				this.slowRate, this.slowDelay);
	}

	/**
	 * Return a copy that delays every answer.
	 * @param latency the added delay
	 * @return the new faults
	 */
	public EndpointFaults withLatency(Duration latency) {
		return new EndpointFaults(this.rate429, this.rate500, this.rate503, this.dropRate, this.retryAfter, latency,
				this.slowRate, this.slowDelay);
	}

	/**
	 * Return a copy that delays a share of the answers by an extra delay, typically
	 * longer than a client's read timeout.
	 * @param rate the share of requests, from 0 to 1
	 * @param delay the extra delay
	 * @return the new faults
	 */
	public EndpointFaults withSlowResponses(double rate, Duration delay) {
		return new EndpointFaults(this.rate429, this.rate500, this.rate503, this.dropRate, this.retryAfter,
				this.latency, rate, delay);
	}

	boolean needsRandom() {
		return this.rate429 > 0 || this.rate500 > 0 || this.rate503 > 0 || this.dropRate > 0 || this.slowRate > 0;
	}

	private static void requireRate(double rate, String name) {
		if (!(rate >= 0 && rate <= 1)) {
			throw new IllegalArgumentException(name + " must be between 0 and 1, not " + rate);
		}
	}

	private static void requireNotNegative(Duration duration, String name) {
		Objects.requireNonNull(duration, () -> name + " must not be null");
		if (duration.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative");
		}
	}

}
