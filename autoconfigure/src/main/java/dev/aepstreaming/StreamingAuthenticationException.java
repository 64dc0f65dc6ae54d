package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when AEP rejects the request's credentials: a {@code 401}, or a {@code 403} that
 * AEP answers for an invalid or expired token or for a caller that is not allow-listed.
 * The token layer has already re-authorized once before this is thrown.
 *
 * @author aep-streaming
 */
public class StreamingAuthenticationException extends AepStreamingException {

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param statusCode the HTTP status that AEP answered
	 * @param cause the underlying cause, if any
	 */
	public StreamingAuthenticationException(String message, int statusCode, @Nullable Throwable cause) {
		super(message, statusCode, null, cause);
	}

}
