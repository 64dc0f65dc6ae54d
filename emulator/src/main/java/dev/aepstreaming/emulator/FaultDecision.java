package dev.aepstreaming.emulator;

import java.time.Duration;

/**
 * What the fault injection decided for one request.
 *
 * @param kind whether to process, answer an error, or drop the connection
 * @param status the error status for {@link Kind#ERROR}
 * @param retryAfter the {@code Retry-After} of an error, zero for none
 * @param delay how long to wait before acting
 * @author aep-streaming
 */
record FaultDecision(Kind kind, int status, Duration retryAfter, Duration delay) {

	static final FaultDecision NONE = new FaultDecision(Kind.PROCEED, 0, Duration.ZERO, Duration.ZERO);

	static FaultDecision proceed(Duration delay) {
		return delay.isZero() ? NONE : new FaultDecision(Kind.PROCEED, 0, Duration.ZERO, delay);
	}

	enum Kind {

		PROCEED, ERROR, DROP

	}

}
