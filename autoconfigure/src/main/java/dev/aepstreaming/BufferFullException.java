package dev.aepstreaming;

/**
 * Thrown when a send was not accepted because the delivery buffer stayed full for longer
 * than {@code aep.streaming.buffer.max-wait}: AEP is slower than the producer, or
 * unreachable. The event was not accepted, so it is the caller's to keep or drop.
 *
 * @author aep-streaming
 */
public class BufferFullException extends AepStreamingException {

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 */
	public BufferFullException(String message) {
		super(message, null);
	}

	@Override
	public boolean isRetryable() {
		return true;
	}

}
