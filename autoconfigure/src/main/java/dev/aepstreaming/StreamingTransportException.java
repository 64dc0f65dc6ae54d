package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when the request could not be carried to AEP or its answer could not be read: a
 * refused or dropped connection, a TLS failure, a malformed response.
 *
 * @author aep-streaming
 */
public class StreamingTransportException extends AepStreamingException {

	private final boolean retryable;

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param retryable whether sending again can succeed
	 * @param cause the underlying cause, if any
	 */
	public StreamingTransportException(String message, boolean retryable, @Nullable Throwable cause) {
		super(message, cause);
		this.retryable = retryable;
	}

	@Override
	public boolean isRetryable() {
		return this.retryable;
	}

}
