package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

/**
 * Thrown without a request to AEP while the circuit breaker of the connection is open:
 * too many recent requests failed with server errors, timeouts or connection failures, so
 * sends fail fast until AEP has had time to recover.
 *
 * @author aep-streaming
 */
public class StreamingCircuitOpenException extends AepStreamingException {

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param cause the circuit breaker's refusal
	 */
	public StreamingCircuitOpenException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
