package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when AEP did not answer in time. AEP may or may not have accepted the message;
 * sending it again is safe for AEP but can duplicate it.
 *
 * @author aep-streaming
 */
public class StreamingTimeoutException extends AepStreamingException {

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param cause the underlying cause, if any
	 */
	public StreamingTimeoutException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

	@Override
	public boolean isRetryable() {
		return true;
	}

}
