package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a send is refused because the application is shutting down, or when an
 * accepted event could not be delivered before the shutdown timeout ran out.
 *
 * @author aep-streaming
 */
public class StreamingShutdownException extends AepStreamingException {

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param cause the last failure of the event, if any
	 */
	public StreamingShutdownException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
