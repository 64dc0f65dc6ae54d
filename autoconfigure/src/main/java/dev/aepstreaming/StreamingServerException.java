package dev.aepstreaming;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when AEP answers with a server error ({@code 5xx}). Adobe documents {@code 500}
 * as "try again later" and {@code 503} with a {@code Retry-After}; both are retryable.
 * {@code 501}, which AEP answers where synchronous validation is not supported, is not.
 *
 * @author aep-streaming
 */
public class StreamingServerException extends AepStreamingException {

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param statusCode the HTTP status that AEP answered
	 * @param retryAfter how long AEP asked to wait, if it said
	 */
	public StreamingServerException(String message, int statusCode, @Nullable Duration retryAfter) {
		super(message, statusCode, retryAfter, null);
	}

	@Override
	public boolean isRetryable() {
		return getStatusCode() != 501;
	}

}
