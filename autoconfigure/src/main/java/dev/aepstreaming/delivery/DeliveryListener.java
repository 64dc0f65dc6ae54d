package dev.aepstreaming.delivery;

import java.time.Duration;

import dev.aepstreaming.AepStreamingException;
import org.jspecify.annotations.Nullable;

/**
 * Hears what a {@link DeliveryEngine} does, for metrics and diagnostics. Called on the
 * delivery's own threads, often Reactor Netty's event loops: an implementation must be
 * quick, must not block and must not throw. It sees counts, durations and failures only,
 * never a payload or a credential.
 *
 * @author aep-streaming
 * @see DeliveryEngine#addListener(DeliveryListener)
 */
public interface DeliveryListener {

	/**
	 * Called when one HTTP request to the streaming endpoint has been answered or has
	 * failed; each attempt of a retried request is reported on its own.
	 * @param kind whether the request carried one message or a batch
	 * @param messageCount how many messages the request carried
	 * @param duration how long the request took
	 * @param statusCode the HTTP status AEP answered, or {@code 0} when there was no
	 * answer (a timeout, a refused connection)
	 * @param failure why the request failed, or {@code null} when AEP accepted it (a
	 * batch whose messages were partly refused counts as accepted)
	 */
	default void requestCompleted(RequestKind kind, int messageCount, Duration duration, int statusCode,
			@Nullable AepStreamingException failure) {
	}

	/**
	 * Called when the retry is about to send a failed request again.
	 * @param attempt the number of the attempt that failed, from 1
	 * @param failure why it failed
	 */
	default void retrying(int attempt, Throwable failure) {
	}

	/**
	 * Called when accepted messages have reached their end: AEP acknowledged them, or
	 * they failed for good and went to the dead-letter handler (or, for an explicit
	 * batch, back to the caller in the batch result).
	 * @param messageCount how many messages ended this way
	 * @param statusCode the HTTP status AEP gave these messages, or {@code 0} when none
	 * did (a timeout, a shutdown, an open circuit)
	 * @param acknowledged whether AEP acknowledged them
	 */
	default void delivered(int messageCount, int statusCode, boolean acknowledged) {
	}

	/**
	 * What an HTTP request to the streaming endpoint carried.
	 */
	enum RequestKind {

		/**
		 * One message, to the single-message endpoint.
		 */
		SINGLE,

		/**
		 * Several messages, to the batch endpoint.
		 */
		BATCH

	}

}
