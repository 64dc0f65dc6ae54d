package dev.aepstreaming.autoconfigure;

import java.util.List;

import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.xdm.XdmEnvelopeSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * The settings of one streaming connection, resolved once at start-up: those of the
 * {@code default} connection from the {@link AepStreamingConnectionDetails} and the
 * top-level properties, those of a named connection from its
 * {@code aep.streaming.connections.<name>.*} properties over the default's.
 *
 * @param name the connection's name
 * @param propertyPrefix the prefix of the properties that configure it, for messages
 * @param baseUrl the base URL of the streaming endpoint
 * @param connectionId the id of the streaming connection
 * @param sandboxName the sandbox
 * @param flowId the dataflow id
 * @param syncValidation whether single sends ask for synchronous validation
 * @param orgId the IMS organization id
 * @param credential the IMS credential, or {@code null} when the connection is not
 * authenticated
 * @param envelope what completes an {@code xdmEntity} into an envelope
 * @author aep-streaming
 */
record StreamingConnectionSettings(String name, String propertyPrefix, String baseUrl, String connectionId,
		String sandboxName, @Nullable String flowId, boolean syncValidation, @Nullable String orgId,
		@Nullable ImsCredential credential, XdmEnvelopeSettings envelope) {

	static final String DEFAULT_PREFIX = "aep.streaming";

	/**
	 * Resolve the settings of the {@code default} connection.
	 * @param properties the properties
	 * @param details the connection details, which win over the properties they cover
	 * @return the settings
	 */
	static StreamingConnectionSettings ofDefault(AepStreamingProperties properties,
			AepStreamingConnectionDetails details) {
		ImsCredential credential = properties.isAuthenticated() ? new ImsCredential(details.getTokenUri(),
				details.getClientId(), details.getClientSecret(), details.getScopes()) : null;
		AepStreamingProperties.Xdm xdm = properties.getXdm();
		XdmEnvelopeSettings envelope = new XdmEnvelopeSettings(xdm.getSchemaId(), xdm.getSchemaContentType(),
				details.getOrgId(), xdm.getDatasetId(), properties.getFlowId(), xdm.getSourceName());
		return new StreamingConnectionSettings(StreamingTemplates.DEFAULT_CONNECTION, DEFAULT_PREFIX,
				details.getBaseUrl(), details.getConnectionId(), properties.getSandboxName(), properties.getFlowId(),
				properties.isSyncValidation(), details.getOrgId(), credential, envelope);
	}

	/**
	 * Resolve the settings of a named connection: what it sets, over these settings.
	 * @param name the connection's name
	 * @param connection its properties
	 * @return the settings
	 */
	StreamingConnectionSettings overlay(String name, AepStreamingProperties.Connection connection) {
		AepStreamingProperties.Connection.Ims ims = connection.getIms();
		String orgId = or(ims.getOrgId(), this.orgId);
		String flowId = or(connection.getFlowId(), this.flowId);
		ImsCredential credential = (this.credential != null) ? this.credential.overlay(ims) : null;
		AepStreamingProperties.Connection.Xdm xdm = connection.getXdm();
		XdmEnvelopeSettings envelope = new XdmEnvelopeSettings(or(xdm.getSchemaId(), this.envelope.schemaId()),
				or(xdm.getSchemaContentType(), this.envelope.schemaContentType()), orgId,
				or(xdm.getDatasetId(), this.envelope.datasetId()), flowId,
				or(xdm.getSourceName(), this.envelope.sourceName()));
		boolean syncValidation = (connection.getSyncValidation() != null) ? connection.getSyncValidation()
				: this.syncValidation;
		return new StreamingConnectionSettings(name, DEFAULT_PREFIX + ".connections." + name,
				or(connection.getBaseUrl(), this.baseUrl), connection.getConnectionId(),
				or(connection.getSandboxName(), this.sandboxName), flowId, syncValidation, orgId, credential, envelope);
	}

	private static <T> T or(@Nullable T value, T fallback) {
		if (value instanceof String text) {
			return StringUtils.hasText(text) ? value : fallback;
		}
		return (value != null) ? value : fallback;
	}

	/**
	 * An IMS OAuth Server-to-Server credential. Connections with equal credentials share
	 * one token. Its {@code toString()} never shows the secret.
	 *
	 * @param tokenUri the token endpoint
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @param scopes the scopes to request
	 */
	record ImsCredential(String tokenUri, String clientId, String clientSecret, List<String> scopes) {

		ImsCredential overlay(AepStreamingProperties.Connection.Ims ims) {
			boolean ownClient = StringUtils.hasText(ims.getClientId()) && !ims.getClientId().equals(this.clientId);
			return new ImsCredential(or(ims.getTokenUri(), this.tokenUri), or(ims.getClientId(), this.clientId),
					ownClient ? ims.getClientSecret() : or(ims.getClientSecret(), this.clientSecret),
					(ims.getScopes() != null && !ims.getScopes().isEmpty()) ? ims.getScopes() : this.scopes);
		}

		/**
		 * Return whether this credential names the same client at the same token endpoint
		 * as another, whatever their secrets and scopes.
		 * @param other the other credential
		 * @return whether both name the same client
		 */
		boolean sameClient(ImsCredential other) {
			return this.clientId.equals(other.clientId) && this.tokenUri.equals(other.tokenUri);
		}

		@Override
		public String toString() {
			return "ImsCredential[tokenUri=" + this.tokenUri + ", clientId=" + this.clientId
					+ ", clientSecret=****, scopes=" + this.scopes + "]";
		}

	}

}
