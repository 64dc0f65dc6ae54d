package dev.aepstreaming.ims;

import java.time.Duration;

import dev.aepstreaming.ImsTokenException;
import org.jspecify.annotations.Nullable;

/**
 * Hears of every token request an {@link ImsTokenManager} makes, for metrics and
 * diagnostics. Called on the request's own thread: an implementation must be quick, must
 * not block and must not throw. It never sees the token or the client secret.
 *
 * @author aep-streaming
 * @see ImsTokenManager#addListener(ImsTokenListener)
 */
@FunctionalInterface
public interface ImsTokenListener {

	/**
	 * Called when a token request to IMS has ended.
	 * @param duration how long the request took
	 * @param failure why it failed, or {@code null} when a token was obtained
	 */
	void tokenRequestCompleted(Duration duration, @Nullable ImsTokenException failure);

}
