package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when AEP refuses a message as invalid ({@code 400}), or when a message is
 * refused before sending because it cannot be turned into a valid request. Sending the
 * same message again will not help.
 *
 * @author aep-streaming
 */
public class StreamingValidationException extends AepStreamingException {

	@Nullable private final String report;

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param statusCode the HTTP status that AEP answered, or {@code 0} when the message
	 * was refused before sending
	 * @param report the response body that AEP sent, if any
	 * @param cause the underlying cause, if any
	 */
	public StreamingValidationException(String message, int statusCode, @Nullable String report,
			@Nullable Throwable cause) {
		super(message, statusCode, null, cause);
		this.report = report;
	}

	/**
	 * Return the response body that AEP sent with its verdict, as text.
	 * @return AEP's report, or {@code null} when the message was refused before sending
	 */
	@Nullable public String getReport() {
		return this.report;
	}

}
