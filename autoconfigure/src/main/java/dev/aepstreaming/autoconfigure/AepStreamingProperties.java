package dev.aepstreaming.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for streaming to Adobe Experience Platform.
 *
 * @author aep-streaming
 */
@ConfigurationProperties("aep.streaming")
public class AepStreamingProperties {

	/**
	 * Whether to auto-configure streaming to AEP.
	 */
	private boolean enabled = true;

	/**
	 * Base URL of the AEP streaming endpoint (Data Collection Core Service).
	 */
	private String baseUrl = "https://dcs.adobedc.net";

	/**
	 * Id of the streaming connection, the path segment after '/collection/' in the
	 * connection's endpoint URL.
	 */
	private String connectionId;

	/**
	 * Id of the HTTP API dataflow, sent as the 'x-adobe-flow-id' header and as
	 * 'header.flowId' of XDM envelopes.
	 */
	private String flowId;

	/**
	 * Name of the sandbox, sent as the 'x-sandbox-name' header.
	 */
	private String sandboxName = "prod";

	/**
	 * Whether the streaming connection requires an IMS bearer token.
	 */
	private boolean authenticated = true;

	/**
	 * Whether single sends ask AEP to validate each message against its schema before
	 * answering. AEP allows 60 such requests per minute per connection.
	 */
	private boolean syncValidation;

	/**
	 * Whether 'http://' URLs to hosts other than loopback are allowed for the token and
	 * streaming endpoints. Over plain HTTP the client secret and the tokens cross the
	 * network in clear.
	 */
	private boolean allowInsecureHttp;

	/**
	 * Time allowed to establish a connection to the streaming endpoint.
	 */
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * Time allowed for the streaming endpoint to answer a request once sent.
	 */
	private Duration responseTimeout = Duration.ofSeconds(30);

	private final Ims ims = new Ims();

	private final Xdm xdm = new Xdm();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public String getConnectionId() {
		return this.connectionId;
	}

	public void setConnectionId(String connectionId) {
		this.connectionId = connectionId;
	}

	public String getFlowId() {
		return this.flowId;
	}

	public void setFlowId(String flowId) {
		this.flowId = flowId;
	}

	public String getSandboxName() {
		return this.sandboxName;
	}

	public void setSandboxName(String sandboxName) {
		this.sandboxName = sandboxName;
	}

	public boolean isAuthenticated() {
		return this.authenticated;
	}

	public void setAuthenticated(boolean authenticated) {
		this.authenticated = authenticated;
	}

	public boolean isSyncValidation() {
		return this.syncValidation;
	}

	public void setSyncValidation(boolean syncValidation) {
		this.syncValidation = syncValidation;
	}

	public boolean isAllowInsecureHttp() {
		return this.allowInsecureHttp;
	}

	public void setAllowInsecureHttp(boolean allowInsecureHttp) {
		this.allowInsecureHttp = allowInsecureHttp;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getResponseTimeout() {
		return this.responseTimeout;
	}

	public void setResponseTimeout(Duration responseTimeout) {
		this.responseTimeout = responseTimeout;
	}

	public Ims getIms() {
		return this.ims;
	}

	public Xdm getXdm() {
		return this.xdm;
	}

	/**
	 * The IMS OAuth Server-to-Server credential and the life of its tokens.
	 */
	public static class Ims {

		/**
		 * IMS token endpoint.
		 */
		private String tokenUri = "https://ims-na1.adobelogin.com/ims/token/v3";

		/**
		 * Client id of the OAuth Server-to-Server credential, also sent as the
		 * 'x-api-key' header.
		 */
		private String clientId;

		/**
		 * Client secret of the OAuth Server-to-Server credential.
		 */
		private String clientSecret;

		/**
		 * IMS organization id ('…@AdobeOrg'), sent as the 'x-gw-ims-org-id' header and as
		 * 'header.imsOrgId' of XDM envelopes.
		 */
		private String orgId;

		/**
		 * Scopes to request, as listed on the credential in Adobe Developer Console.
		 */
		private List<String> scopes = new ArrayList<>(List.of("openid", "AdobeID", "read_organizations",
				"additional_info.projectedProductContext", "session"));

		/**
		 * How long before a token expires a new one is requested in the background.
		 * Bounded by a quarter of the token's lifetime, so short-lived tokens are not
		 * refreshed on every request.
		 */
		private Duration refreshBeforeExpiry = Duration.ofMinutes(5);

		/**
		 * Time allowed for IMS to answer a token request.
		 */
		private Duration tokenRequestTimeout = Duration.ofSeconds(10);

		/**
		 * Pause after a first failed token request; it doubles with each further failure.
		 */
		private Duration initialRetryBackoff = Duration.ofSeconds(1);

		/**
		 * Longest pause between failed token requests, also the pause after IMS rejected
		 * the credential.
		 */
		private Duration maxRetryBackoff = Duration.ofMinutes(1);

		/**
		 * Minimum age of a token that AEP has never accepted before a 401 may replace it,
		 * so that a connection refusing every token does not cause a token request per
		 * send.
		 */
		private Duration minReauthenticationInterval = Duration.ofSeconds(10);

		public String getTokenUri() {
			return this.tokenUri;
		}

		public void setTokenUri(String tokenUri) {
			this.tokenUri = tokenUri;
		}

		public String getClientId() {
			return this.clientId;
		}

		public void setClientId(String clientId) {
			this.clientId = clientId;
		}

		public String getClientSecret() {
			return this.clientSecret;
		}

		public void setClientSecret(String clientSecret) {
			this.clientSecret = clientSecret;
		}

		public String getOrgId() {
			return this.orgId;
		}

		public void setOrgId(String orgId) {
			this.orgId = orgId;
		}

		public List<String> getScopes() {
			return this.scopes;
		}

		public void setScopes(List<String> scopes) {
			this.scopes = scopes;
		}

		public Duration getRefreshBeforeExpiry() {
			return this.refreshBeforeExpiry;
		}

		public void setRefreshBeforeExpiry(Duration refreshBeforeExpiry) {
			this.refreshBeforeExpiry = refreshBeforeExpiry;
		}

		public Duration getTokenRequestTimeout() {
			return this.tokenRequestTimeout;
		}

		public void setTokenRequestTimeout(Duration tokenRequestTimeout) {
			this.tokenRequestTimeout = tokenRequestTimeout;
		}

		public Duration getInitialRetryBackoff() {
			return this.initialRetryBackoff;
		}

		public void setInitialRetryBackoff(Duration initialRetryBackoff) {
			this.initialRetryBackoff = initialRetryBackoff;
		}

		public Duration getMaxRetryBackoff() {
			return this.maxRetryBackoff;
		}

		public void setMaxRetryBackoff(Duration maxRetryBackoff) {
			this.maxRetryBackoff = maxRetryBackoff;
		}

		public Duration getMinReauthenticationInterval() {
			return this.minReauthenticationInterval;
		}

		public void setMinReauthenticationInterval(Duration minReauthenticationInterval) {
			this.minReauthenticationInterval = minReauthenticationInterval;
		}

	}

	/**
	 * What completes an 'xdmEntity' into an XDM envelope.
	 */
	public static class Xdm {

		/**
		 * Id ('$id') of the XDM schema, 'schemaRef.id' of envelopes.
		 */
		private String schemaId;

		/**
		 * Content type of the XDM schema, 'schemaRef.contentType' of envelopes.
		 */
		private String schemaContentType = "application/vnd.adobe.xed-full+json;version=1";

		/**
		 * Id of the dataset that events land in.
		 */
		private String datasetId;

		/**
		 * Name of the source, the optional 'header.source.name' of envelopes.
		 */
		private String sourceName;

		public String getSchemaId() {
			return this.schemaId;
		}

		public void setSchemaId(String schemaId) {
			this.schemaId = schemaId;
		}

		public String getSchemaContentType() {
			return this.schemaContentType;
		}

		public void setSchemaContentType(String schemaContentType) {
			this.schemaContentType = schemaContentType;
		}

		public String getDatasetId() {
			return this.datasetId;
		}

		public void setDatasetId(String datasetId) {
			this.datasetId = datasetId;
		}

		public String getSourceName() {
			return this.sourceName;
		}

		public void setSourceName(String sourceName) {
			this.sourceName = sourceName;
		}

	}

}
