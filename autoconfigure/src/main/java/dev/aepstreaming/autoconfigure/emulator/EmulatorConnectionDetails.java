package dev.aepstreaming.autoconfigure.emulator;

import java.util.List;

import dev.aepstreaming.autoconfigure.AepStreamingConnectionDetails;
import dev.aepstreaming.emulator.AepEmulator;

import org.springframework.util.StringUtils;

/**
 * {@link AepStreamingConnectionDetails} of an embedded {@link AepEmulator}: its endpoints
 * and its credential, with the connection id of the properties when one is set.
 *
 * @author aep-streaming
 */
final class EmulatorConnectionDetails implements AepStreamingConnectionDetails {

	static final String DEFAULT_CONNECTION_ID = "emulator-connection";

	private final AepEmulator emulator;

	private final String connectionId;

	EmulatorConnectionDetails(AepEmulator emulator, String connectionId) {
		this.emulator = emulator;
		this.connectionId = StringUtils.hasText(connectionId) ? connectionId : DEFAULT_CONNECTION_ID;
	}

	@Override
	public String getBaseUrl() {
		return this.emulator.baseUrl();
	}

	@Override
	public String getConnectionId() {
		return this.connectionId;
	}

	@Override
	public String getTokenUri() {
		return this.emulator.tokenUri();
	}

	@Override
	public String getClientId() {
		return this.emulator.clientId();
	}

	@Override
	public String getClientSecret() {
		return this.emulator.clientSecret();
	}

	@Override
	public String getOrgId() {
		return this.emulator.orgId();
	}

	@Override
	public List<String> getScopes() {
		return List.copyOf(this.emulator.credential().scopes());
	}

	@Override
	public String toString() {
		return "EmulatorConnectionDetails[baseUrl=" + getBaseUrl() + ", connectionId=" + this.connectionId + "]";
	}

}
