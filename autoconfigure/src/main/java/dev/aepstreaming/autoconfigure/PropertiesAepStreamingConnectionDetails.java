package dev.aepstreaming.autoconfigure;

import java.util.List;

/**
 * Adapts {@link AepStreamingProperties} to {@link AepStreamingConnectionDetails}.
 *
 * @author aep-streaming
 */
final class PropertiesAepStreamingConnectionDetails implements AepStreamingConnectionDetails {

	private final AepStreamingProperties properties;

	PropertiesAepStreamingConnectionDetails(AepStreamingProperties properties) {
		this.properties = properties;
	}

	@Override
	public String getBaseUrl() {
		return this.properties.getBaseUrl();
	}

	@Override
	public String getConnectionId() {
		return this.properties.getConnectionId();
	}

	@Override
	public String getTokenUri() {
		return this.properties.getIms().getTokenUri();
	}

	@Override
	public String getClientId() {
		return this.properties.getIms().getClientId();
	}

	@Override
	public String getClientSecret() {
		return this.properties.getIms().getClientSecret();
	}

	@Override
	public String getOrgId() {
		return this.properties.getIms().getOrgId();
	}

	@Override
	public List<String> getScopes() {
		return this.properties.getIms().getScopes();
	}

	@Override
	public String toString() {
		return "PropertiesAepStreamingConnectionDetails[baseUrl=" + getBaseUrl() + ", connectionId=" + getConnectionId()
				+ ", clientId=" + getClientId() + ", clientSecret=****]";
	}

}
