package dev.aepstreaming.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

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
	 * Time allowed to establish a connection to the streaming or the token endpoint,
	 * through the proxy if one is set.
	 */
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * Time allowed for the streaming endpoint's whole answer to a request, from sending
	 * the request to the answer's last byte; the time to obtain a token is not counted.
	 */
	private Duration responseTimeout = Duration.ofSeconds(30);

	/**
	 * Longest time without any data from the streaming or the token endpoint while an
	 * answer is awaited or read.
	 */
	private Duration readTimeout = Duration.ofSeconds(30);

	/**
	 * Maximum number of requests to the streaming endpoint in flight at once; further
	 * requests wait for a free slot without blocking a thread.
	 */
	private int maxInFlight = 128;

	private final Ims ims = new Ims();

	private final Xdm xdm = new Xdm();

	private final Retry retry = new Retry();

	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	private final RateLimit rateLimit = new RateLimit();

	private final Batch batch = new Batch();

	private final Buffer buffer = new Buffer();

	private final Shutdown shutdown = new Shutdown();

	private final Proxy proxy = new Proxy();

	private final Ssl ssl = new Ssl();

	private final Observations observations = new Observations();

	/**
	 * Further streaming connections by name, each with its own inlet, dataflow, dataset
	 * and schema and optionally its own IMS credential. What a connection leaves unset is
	 * taken from the top-level properties, which configure the connection named
	 * 'default'.
	 */
	private Map<String, Connection> connections = new LinkedHashMap<>();

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

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public int getMaxInFlight() {
		return this.maxInFlight;
	}

	public void setMaxInFlight(int maxInFlight) {
		this.maxInFlight = maxInFlight;
	}

	public Ims getIms() {
		return this.ims;
	}

	public Xdm getXdm() {
		return this.xdm;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	public Batch getBatch() {
		return this.batch;
	}

	public Buffer getBuffer() {
		return this.buffer;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Proxy getProxy() {
		return this.proxy;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Observations getObservations() {
		return this.observations;
	}

	public Map<String, Connection> getConnections() {
		return this.connections;
	}

	public void setConnections(Map<String, Connection> connections) {
		this.connections = connections;
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
		 * Minimum age of a token that AEP has never accepted before a 401 may replace it;
		 * younger ones are replaced at most once per this interval, so that a connection
		 * refusing every token does not cause a token request per send.
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

	/**
	 * Retries of requests that failed for a retryable reason: 429, 500, 502, 503, 504,
	 * timeouts and connection failures.
	 */
	public static class Retry {

		/**
		 * Whether to retry requests that failed for a retryable reason.
		 */
		private boolean enabled = true;

		/**
		 * Maximum number of attempts of one request, the first included.
		 */
		private int maxAttempts = 5;

		/**
		 * Pause before the first retry; it grows by the multiplier with each further
		 * retry, with jitter, and is never shorter than the Retry-After that AEP sent.
		 */
		private Duration initialBackoff = Duration.ofMillis(200);

		/**
		 * Longest pause between attempts, unless AEP asks for a longer one.
		 */
		private Duration maxBackoff = Duration.ofSeconds(10);

		/**
		 * Factor by which the pause grows with each retry.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest time from the first attempt of a request to the start of its last.
		 */
		private Duration maxDuration = Duration.ofMinutes(1);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDuration() {
			return this.maxDuration;
		}

		public void setMaxDuration(Duration maxDuration) {
			this.maxDuration = maxDuration;
		}

	}

	/**
	 * The circuit breaker of the connection, opened by server errors, timeouts and
	 * connection failures.
	 */
	public static class CircuitBreaker {

		/**
		 * Whether to fail fast while the streaming endpoint keeps failing.
		 */
		private boolean enabled = true;

		/**
		 * Percentage of failed requests in the sliding window at which the circuit opens.
		 */
		private float failureRateThreshold = 50;

		/**
		 * Number of recent requests whose outcome decides the failure rate.
		 */
		private int slidingWindowSize = 100;

		/**
		 * Minimum number of requests in the window before the failure rate counts.
		 */
		private int minimumNumberOfCalls = 20;

		/**
		 * How long the circuit stays open before it lets trial requests through.
		 */
		private Duration waitDurationInOpenState = Duration.ofSeconds(30);

		/**
		 * Number of trial requests let through while half open.
		 */
		private int permittedCallsInHalfOpenState = 5;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public int getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

		public int getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
		}

		public Duration getWaitDurationInOpenState() {
			return this.waitDurationInOpenState;
		}

		public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
			this.waitDurationInOpenState = waitDurationInOpenState;
		}

		public int getPermittedCallsInHalfOpenState() {
			return this.permittedCallsInHalfOpenState;
		}

		public void setPermittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
			this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
		}

	}

	/**
	 * The client-side rate limit of requests to the streaming endpoint.
	 */
	public static class RateLimit {

		/**
		 * Whether to limit the rate of requests to the streaming endpoint.
		 */
		private boolean enabled = true;

		/**
		 * Maximum number of requests per second, below Adobe's guidance of about 1,000
		 * requests per second.
		 */
		private int requestsPerSecond = 900;

		/**
		 * Longest time a request waits for the rate limit to let it through.
		 */
		private Duration maxWait = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getRequestsPerSecond() {
			return this.requestsPerSecond;
		}

		public void setRequestsPerSecond(int requestsPerSecond) {
			this.requestsPerSecond = requestsPerSecond;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

	}

	/**
	 * Gathering of single sends into batch requests.
	 */
	public static class Batch {

		/**
		 * Whether to gather single sends into requests to the batch endpoint.
		 */
		private boolean enabled;

		/**
		 * Maximum number of messages in one batch request.
		 */
		private int maxMessages = 200;

		/**
		 * Maximum size of one batch request body; AEP accepts at most 1 MB per request.
		 */
		private DataSize maxBytes = DataSize.ofBytes(1_000_000);

		/**
		 * How long the first message of a batch waits for others before the batch is
		 * sent.
		 */
		private Duration linger = Duration.ofMillis(20);

		/**
		 * Maximum number of batch requests in flight at once.
		 */
		private int maxConcurrentRequests = 16;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxMessages() {
			return this.maxMessages;
		}

		public void setMaxMessages(int maxMessages) {
			this.maxMessages = maxMessages;
		}

		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(DataSize maxBytes) {
			this.maxBytes = maxBytes;
		}

		public Duration getLinger() {
			return this.linger;
		}

		public void setLinger(Duration linger) {
			this.linger = linger;
		}

		public int getMaxConcurrentRequests() {
			return this.maxConcurrentRequests;
		}

		public void setMaxConcurrentRequests(int maxConcurrentRequests) {
			this.maxConcurrentRequests = maxConcurrentRequests;
		}

	}

	/**
	 * The buffer of accepted events not yet delivered.
	 */
	public static class Buffer {

		/**
		 * Maximum number of events accepted and not yet delivered.
		 */
		private int capacity = 10_000;

		/**
		 * How long a send waits for room in a full buffer before it fails.
		 */
		private Duration maxWait = Duration.ofSeconds(5);

		public int getCapacity() {
			return this.capacity;
		}

		public void setCapacity(int capacity) {
			this.capacity = capacity;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

	}

	/**
	 * What happens to buffered events when the application stops.
	 */
	public static class Shutdown {

		/**
		 * How long to wait on shutdown for buffered events to be delivered; those still
		 * undelivered then go to the dead-letter handler.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * The HTTP proxy through which the token and the streaming endpoints are reached, in
	 * a tunnel opened with 'CONNECT'.
	 */
	public static class Proxy {

		/**
		 * Host name or address of the HTTP proxy; no proxy is used when unset.
		 */
		private String host;

		/**
		 * Port of the HTTP proxy.
		 */
		private int port = 8080;

		/**
		 * User name for the proxy's basic authentication.
		 */
		private String username;

		/**
		 * Password for the proxy's basic authentication.
		 */
		private String password;

		/**
		 * Hosts reached directly rather than through the proxy, each a host name or a
		 * pattern with '*' as a wildcard, such as '*.internal.example.com'.
		 */
		private List<String> nonProxyHosts = new ArrayList<>();

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public List<String> getNonProxyHosts() {
			return this.nonProxyHosts;
		}

		public void setNonProxyHosts(List<String> nonProxyHosts) {
			this.nonProxyHosts = nonProxyHosts;
		}

		@Override
		public String toString() {
			return "Proxy[host=" + this.host + ", port=" + this.port + ", username=" + this.username + ", password="
					+ ((this.password != null) ? "****" : null) + ", nonProxyHosts=" + this.nonProxyHosts + "]";
		}

	}

	/**
	 * TLS for the token and the streaming endpoints.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle ('spring.ssl.bundle.*') that provides the trust
		 * material, and a client certificate if one is needed; the JDK's defaults when
		 * unset.
		 */
		private String bundle;

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * A further streaming connection. Every property left unset is taken from the
	 * top-level one of the same name.
	 */
	public static class Connection {

		/**
		 * Id of the streaming connection, the path segment after '/collection/' in the
		 * connection's endpoint URL.
		 */
		private String connectionId;

		/**
		 * Id of the connection's HTTP API dataflow.
		 */
		private String flowId;

		/**
		 * Name of the sandbox the connection belongs to.
		 */
		private String sandboxName;

		/**
		 * Base URL of the streaming endpoint.
		 */
		private String baseUrl;

		/**
		 * Whether single sends ask AEP to validate each message before answering.
		 */
		private Boolean syncValidation;

		private final Ims ims = new Ims();

		private final Xdm xdm = new Xdm();

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

		public String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public Boolean getSyncValidation() {
			return this.syncValidation;
		}

		public void setSyncValidation(Boolean syncValidation) {
			this.syncValidation = syncValidation;
		}

		public Ims getIms() {
			return this.ims;
		}

		public Xdm getXdm() {
			return this.xdm;
		}

		/**
		 * The connection's own IMS credential. Connections that name the same credential
		 * share one token.
		 */
		public static class Ims {

			/**
			 * IMS token endpoint.
			 */
			private String tokenUri;

			/**
			 * Client id of the connection's own OAuth Server-to-Server credential.
			 */
			private String clientId;

			/**
			 * Client secret of the connection's own credential, required with a client id
			 * of its own.
			 */
			private String clientSecret;

			/**
			 * IMS organization id of the connection.
			 */
			private String orgId;

			/**
			 * Scopes to request for the connection's own credential.
			 */
			private List<String> scopes;

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

		}

		/**
		 * What completes the connection's 'xdmEntity' messages into XDM envelopes.
		 */
		public static class Xdm {

			/**
			 * Id ('$id') of the connection's XDM schema.
			 */
			private String schemaId;

			/**
			 * Content type of the connection's XDM schema.
			 */
			private String schemaContentType;

			/**
			 * Id of the dataset that the connection's events land in.
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

	/**
	 * Micrometer observations of sends and token requests.
	 */
	public static class Observations {

		/**
		 * Whether to observe each send and each IMS token request with the application's
		 * ObservationRegistry, so that tracing follows them.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
