package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when no valid IMS access token can be handed to a send: IMS rejected the
 * credential, or IMS could not be reached and the last token has expired.
 *
 * @author aep-streaming
 */
public class ImsTokenException extends StreamingAuthenticationException {

	private final boolean credentialRejected;

	@Nullable private final String imsError;

	/**
	 * Create a new exception.
	 * @param message what went wrong and what to change
	 * @param credentialRejected whether IMS rejected the credential itself, which
	 * retrying will not fix
	 * @param imsError the OAuth2 error code that IMS answered, if any
	 * @param cause the underlying cause, if any
	 */
	public ImsTokenException(String message, boolean credentialRejected, @Nullable String imsError,
			@Nullable Throwable cause) {
		super(message, 0, cause);
		this.credentialRejected = credentialRejected;
		this.imsError = imsError;
	}

	/**
	 * Return whether IMS rejected the credential itself (for example
	 * {@code invalid_client}), which no retry will fix.
	 * @return whether the credential was rejected
	 */
	public boolean isCredentialRejected() {
		return this.credentialRejected;
	}

	/**
	 * Return the OAuth2 error code that IMS answered.
	 * @return the error code, or {@code null} when IMS gave none (for example when it
	 * could not be reached)
	 */
	@Nullable public String getImsError() {
		return this.imsError;
	}

	@Override
	public boolean isRetryable() {
		return !this.credentialRejected;
	}

}
