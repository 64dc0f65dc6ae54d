package dev.aepstreaming.observation;

import io.micrometer.observation.Observation;

import org.springframework.util.Assert;

/**
 * What the {@link AepStreamingObservation#TOKEN_REQUEST} observation knows of one token
 * request. Never holds the token or the client secret.
 *
 * @author aep-streaming
 */
public class ImsTokenRequestContext extends Observation.Context {

	private final String credentialName;

	private volatile boolean tokenObtained;

	/**
	 * Create a new context.
	 * @param credentialName the name of the credential, the name of the connection whose
	 * configuration defines it
	 */
	public ImsTokenRequestContext(String credentialName) {
		Assert.hasText(credentialName, "'credentialName' must not be empty");
		this.credentialName = credentialName;
	}

	/**
	 * Return the name of the credential.
	 * @return the credential name, {@code default} for the top-level one
	 */
	public String getCredentialName() {
		return this.credentialName;
	}

	/**
	 * Return whether IMS answered a token.
	 * @return whether a token was obtained
	 */
	public boolean isTokenObtained() {
		return this.tokenObtained;
	}

	/**
	 * Set whether IMS answered a token.
	 * @param tokenObtained whether a token was obtained
	 */
	public void setTokenObtained(boolean tokenObtained) {
		this.tokenObtained = tokenObtained;
	}

}
