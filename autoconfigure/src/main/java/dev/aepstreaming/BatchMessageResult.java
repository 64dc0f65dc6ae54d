package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one message of a batch, as AEP reported it in its {@code 207} answer.
 *
 * @param index the position of the message in the batch as the caller gave it
 * @param statusCode the message's own status: {@code 200} when AEP accepted it, otherwise
 * the status AEP reported for it
 * @param xactionId AEP's transaction id when the message was accepted
 * @param errorMessage AEP's explanation when the message was refused
 * @author aep-streaming
 */
public record BatchMessageResult(int index, int statusCode, @Nullable String xactionId, @Nullable String errorMessage) {

	/**
	 * Return whether AEP accepted this message. An accepted message must not be sent
	 * again.
	 * @return whether the message was accepted
	 */
	public boolean isSuccess() {
		return this.statusCode >= 200 && this.statusCode < 300;
	}

	/**
	 * Return whether sending this message alone again can succeed: AEP reported a rate
	 * limit or a server error for it, not a problem with the message itself.
	 * @return whether the message can be retried
	 */
	public boolean isRetryable() {
		return this.statusCode == 429 || this.statusCode >= 500 && this.statusCode != 501;
	}

}
