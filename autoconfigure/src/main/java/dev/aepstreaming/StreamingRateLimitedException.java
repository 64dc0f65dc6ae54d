package dev.aepstreaming;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when AEP answers {@code 429 Too Many Requests}. Retryable after a pause.
 *
 * @author aep-streaming
 */
public class StreamingRateLimitedException extends AepStreamingException {

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param retryAfter how long AEP asked to wait, if it said
	 */
	public StreamingRateLimitedException(String message, @Nullable Duration retryAfter) {
		super(message, 429, retryAfter, null);
	}

	@Override
	public boolean isRetryable() {
		return true;
	}

}
