package dev.aepstreaming;

/**
 * Thrown when a request would exceed AEP's limit of 1 MB per request: refused before
 * sending, or answered {@code 413} by AEP.
 *
 * @author aep-streaming
 */
public class PayloadTooLargeException extends AepStreamingException {

	private final long size;

	private final long limit;

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param statusCode {@code 413} when AEP refused it, {@code 0} when refused before
	 * sending
	 * @param size the size of the request body in bytes
	 * @param limit the largest request body accepted, in bytes
	 */
	public PayloadTooLargeException(String message, int statusCode, long size, long limit) {
		super(message, statusCode, null, null);
		this.size = size;
		this.limit = limit;
	}

	/**
	 * Return the size of the refused request body.
	 * @return the size in bytes
	 */
	public long getSize() {
		return this.size;
	}

	/**
	 * Return the largest request body accepted.
	 * @return the limit in bytes
	 */
	public long getLimit() {
		return this.limit;
	}

}
