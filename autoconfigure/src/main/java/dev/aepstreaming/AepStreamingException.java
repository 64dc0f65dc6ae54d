package dev.aepstreaming;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Base class of every failure reported by the AEP streaming client. Subclasses say what
 * went wrong; {@link #isRetryable()} says whether sending the same message again later
 * can succeed.
 * <p>
 * Messages never contain a client secret, an access token or an {@code Authorization}
 * header.
 *
 * @author aep-streaming
 */
public class AepStreamingException extends RuntimeException {

	private final int statusCode;

	@Nullable private final Duration retryAfter;

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param statusCode the HTTP status that AEP or IMS answered, or {@code 0} when no
	 * response was received
	 * @param retryAfter how long the server asked to wait before trying again, if it said
	 * @param cause the underlying cause, if any
	 */
	public AepStreamingException(String message, int statusCode, @Nullable Duration retryAfter,
			@Nullable Throwable cause) {
		super(message, cause);
		this.statusCode = statusCode;
		this.retryAfter = retryAfter;
	}

	/**
	 * Create a new exception for a failure that carries no HTTP status.
	 * @param message what went wrong and what to change
	 * @param cause the underlying cause, if any
	 */
	public AepStreamingException(String message, @Nullable Throwable cause) {
		this(message, 0, null, cause);
	}

	/**
	 * Return the HTTP status that the server answered.
	 * @return the status code, or {@code 0} when no response was received
	 */
	public int getStatusCode() {
		return this.statusCode;
	}

	/**
	 * Return how long the server asked to wait before trying again.
	 * @return the delay from the {@code Retry-After} header, if the server sent one
	 */
	public Optional<Duration> getRetryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

	/**
	 * Return whether sending the same message again later can succeed.
	 * @return {@code false} by default
	 */
	public boolean isRetryable() {
		return false;
	}

}
