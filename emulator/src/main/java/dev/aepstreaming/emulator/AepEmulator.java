package dev.aepstreaming.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A local emulator of Adobe IMS (OAuth server-to-server token endpoint) and of AEP
 * streaming ingestion (Data Collection Core Service), serving real HTTP on
 * {@code 127.0.0.1}, so that the starter and the applications using it can be tried and
 * tested without an Adobe account. <pre class="code">
 * AepEmulator.Builder builder = AepEmulator.builder().tokenLifetime(Duration.ofSeconds(30));
 * try (AepEmulator emulator = builder.build().start()) {
 *     // point the client at emulator.tokenUri() and emulator.baseUrl()
 * }
 * </pre>
 * <h2>Emulated endpoints</h2>
 * <ul>
 * <li>{@code POST /ims/token/v3} and {@code /ims/token/v2}: client credentials with
 * comma-separated scopes, by {@code client_secret_post} or {@code client_secret_basic},
 * from a form body or the query; tokens are HS256 JWTs that last
 * {@link Builder#tokenLifetime(Duration)}.</li>
 * <li>{@code POST /collection/{connectionId}} and {@code POST
 * /collection/batch/{connectionId}}: streaming ingestion. Every connection id exists and
 * is authenticated, unless registered with
 * {@link Builder#unauthenticatedConnection(String)}.</li>
 * </ul>
 * <h2>Control endpoints</h2> JSON in and out; invalid input is answered {@code 400}
 * {@code {"error":"…"}}.
 * <ul>
 * <li>{@code GET /emulator}: base URL, token URI, client id, organization, scope and
 * token lifetime (never the secret). {@code POST /emulator/reset} resets faults,
 * variants, recorder and the synchronous validation limit.</li>
 * <li>{@code GET /emulator/faults}: the faults, as
 * <code>{"seed":0,"endpoints":{"token":{…},"single":{…},"batch":{…}},
 * "tokenOutage":null}</code> where each endpoint holds {@code rate429}, {@code rate500},
 * {@code rate503}, {@code dropRate}, {@code slowRate} (shares from 0 to 1),
 * {@code retryAfterSeconds}, {@code latencyMs} and {@code slowMs}, and the outage holds
 * {@code startMs}, {@code endMs} (epoch milliseconds of the emulator's clock) and
 * {@code mode} ({@code unavailable} or {@code drop}). {@code PUT} or {@code POST} the
 * same shape, or any part of it, to change them (omitted fields keep their value);
 * {@code DELETE} or {@code POST /emulator/faults/reset} removes all.</li>
 * <li>{@code POST /emulator/faults/token-outage} with
 * <code>{"durationMs":5000,"mode":"unavailable"}</code> (starting now) or
 * <code>{"startMs":…,"endMs":…,"mode":"drop"}</code>; {@code DELETE} cancels it.</li>
 * <li>{@code POST /emulator/tokens/revoke}: revokes every token issued so far.</li>
 * <li>{@code GET /emulator/variants}, {@code PUT}/{@code POST} to change:
 * <code>{"batchStatusField":"statusCode","syncValidationSupported":true,
 * "rejectedTokenStatus":401,"invalidClientStatus":400}</code>, see
 * {@link EmulatorVariants}.</li>
 * <li>{@code GET /emulator/recorder}: counts
 * <code>{"acceptedMessages","tokenRequests","issuedTokens","rejections","capacity"}</code>;
 * {@code DELETE} or {@code POST /emulator/recorder/reset} resets it.
 * {@code GET /emulator/recorder/messages}, {@code /token-requests} and
 * {@code /rejections} list the most recent entries ({@code ?limit=}, 100 by
 * default).</li>
 * </ul>
 *
 * @author aep-streaming
 * @see AepEmulatorExtension
 * @see AepEmulatorApplication
 */
public final class AepEmulator implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(AepEmulator.class);

	private static final String HOST = "127.0.0.1";

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	private final int requestedPort;

	private final Clock clock;

	private final Duration tokenLifetime;

	private final List<EmulatorCredential> credentials;

	private final EmulatorRecorder recorder;

	private final EmulatorFaults faults;

	private final EmulatorVariants variants = new EmulatorVariants();

	private final TokenIssuer tokenIssuer;

	private final SyncValidationLimiter syncValidationLimiter;

	private final EmulatorServer server;

	private volatile DisposableServer disposableServer;

	private AepEmulator(Builder builder) {
		this.requestedPort = builder.port;
		this.clock = builder.clock;
		this.tokenLifetime = builder.tokenLifetime;
		this.credentials = builder.credentials.isEmpty() ? List.of(EmulatorCredential.defaultCredential())
				: List.copyOf(builder.credentials);
		this.recorder = new EmulatorRecorder(builder.recorderCapacity);
		this.faults = new EmulatorFaults(this.clock, builder.seed);
		this.tokenIssuer = new TokenIssuer(this.clock, this.tokenLifetime);
		this.syncValidationLimiter = new SyncValidationLimiter(this.clock, builder.syncValidationRequestsPerMinute);
		Map<String, EmulatorCredential> credentialsById = new LinkedHashMap<>();
		this.credentials.forEach((credential) -> credentialsById.put(credential.clientId(), credential));
		ImsTokenHandler tokenHandler = new ImsTokenHandler(Map.copyOf(credentialsById), this.tokenIssuer, this.recorder,
				this.variants);
		StreamingHandler streamingHandler = new StreamingHandler(Set.copyOf(builder.unauthenticatedConnections),
				this.tokenIssuer, this.recorder, this.variants, this.syncValidationLimiter);
		this.server = new EmulatorServer(this.clock, builder.maxRequestBytes, this.faults, tokenHandler,
				streamingHandler, new ControlHandler(this), this.recorder);
	}

	/**
	 * Return a builder with the defaults: a free port, the system clock, 24-hour tokens
	 * and the {@link EmulatorCredential#defaultCredential() default credential}.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Bind the emulator to {@code 127.0.0.1} and start serving.
	 * @return this emulator, started
	 * @throws IllegalStateException if it is already started
	 */
	public synchronized AepEmulator start() {
		if (this.disposableServer != null) {
			throw new IllegalStateException("The emulator is already started");
		}
		this.disposableServer = HttpServer.create().host(HOST).port(this.requestedPort).handle(this.server).bindNow();
		if (logger.isInfoEnabled()) {
			logger.info("AEP emulator started at " + baseUrl());
		}
		return this;
	}

	/**
	 * Return whether the emulator is serving.
	 * @return whether it is started and not closed
	 */
	public boolean isRunning() {
		return this.disposableServer != null;
	}

	/**
	 * Stop serving. Closing a stopped emulator does nothing.
	 */
	@Override
	public synchronized void close() {
		DisposableServer current = this.disposableServer;
		if (current != null) {
			this.disposableServer = null;
			current.disposeNow(SHUTDOWN_TIMEOUT);
			logger.info("AEP emulator stopped");
		}
	}

	/**
	 * Return the port the emulator listens on.
	 * @return the port
	 * @throws IllegalStateException if the emulator is not started
	 */
	public int port() {
		DisposableServer current = this.disposableServer;
		if (current == null) {
			throw new IllegalStateException("The emulator is not started");
		}
		return current.port();
	}

	/**
	 * Return the base URL of the streaming endpoints, the emulated
	 * {@code https://dcs.adobedc.net}.
	 * @return the base URL, such as {@code http://127.0.0.1:54321}
	 */
	public String baseUrl() {
		return "http://" + HOST + ":" + port();
	}

	/**
	 * Return the URI of the IMS token endpoint, the emulated
	 * {@code https://ims-na1.adobelogin.com/ims/token/v3}.
	 * @return the token URI
	 */
	public String tokenUri() {
		return baseUrl() + "/ims/token/v3";
	}

	/**
	 * Return the URI of the single-message endpoint of a connection.
	 * @param connectionId the connection id
	 * @return the URI
	 */
	public String collectionUri(String connectionId) {
		return baseUrl() + "/collection/" + connectionId;
	}

	/**
	 * Return the URI of the batch endpoint of a connection.
	 * @param connectionId the connection id
	 * @return the URI
	 */
	public String batchUri(String connectionId) {
		return baseUrl() + "/collection/batch/" + connectionId;
	}

	/**
	 * Return the first configured credential.
	 * @return the credential
	 */
	public EmulatorCredential credential() {
		return this.credentials.get(0);
	}

	/**
	 * Return every configured credential.
	 * @return the credentials
	 */
	public List<EmulatorCredential> credentials() {
		return this.credentials;
	}

	/**
	 * Return the client id of the first credential.
	 * @return the client id
	 */
	public String clientId() {
		return credential().clientId();
	}

	/**
	 * Return the first secret of the first credential.
	 * @return the client secret
	 */
	public String clientSecret() {
		return credential().clientSecret();
	}

	/**
	 * Return the organization of the first credential.
	 * @return the IMS organization id
	 */
	public String orgId() {
		return credential().orgId();
	}

	/**
	 * Return the lifetime of issued tokens.
	 * @return the token lifetime
	 */
	public Duration tokenLifetime() {
		return this.tokenLifetime;
	}

	/**
	 * Return the clock that decides token expiry, outages and received times.
	 * @return the clock
	 */
	public Clock clock() {
		return this.clock;
	}

	/**
	 * Return what the emulator received.
	 * @return the recorder
	 */
	public EmulatorRecorder recorder() {
		return this.recorder;
	}

	/**
	 * Return the injected faults.
	 * @return the faults
	 */
	public EmulatorFaults faults() {
		return this.faults;
	}

	/**
	 * Return the switches between documented response variants.
	 * @return the variants
	 */
	public EmulatorVariants variants() {
		return this.variants;
	}

	/**
	 * Revoke every token issued so far, as when a credential is deleted or an incident
	 * invalidates sessions: the streaming endpoints answer 401 for them from now on.
	 * Tokens issued afterwards are valid.
	 * @return the number of revocations so far
	 */
	public long revokeAllTokens() {
		return this.tokenIssuer.revokeAll();
	}

	/**
	 * Remove all faults, restore the default variants, forget everything recorded and
	 * restart the synchronous validation limit. Issued tokens stay valid.
	 */
	public void reset() {
		this.faults.reset();
		this.variants.reset();
		this.recorder.reset();
		this.syncValidationLimiter.reset();
	}

	@Override
	public String toString() {
		DisposableServer current = this.disposableServer;
		return "AepEmulator[" + ((current != null) ? "http://" + HOST + ":" + current.port() : "not started")
				+ ", clientId=" + clientId() + "]";
	}

	/**
	 * Builds an {@link AepEmulator}; every setting has a default.
	 */
	public static final class Builder {

		private int port;

		private Clock clock = Clock.systemUTC();

		private Duration tokenLifetime = Duration.ofDays(1);

		private final List<EmulatorCredential> credentials = new ArrayList<>();

		private final Set<String> unauthenticatedConnections = new LinkedHashSet<>();

		private long seed;

		private int recorderCapacity = 10_000;

		private int maxRequestBytes = 1_000_000;

		private int syncValidationRequestsPerMinute = 60;

		private Builder() {
		}

		/**
		 * Set the port to listen on, {@code 0} (the default) for a free one.
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(int port) {
			if (port < 0 || port > 65535) {
				throw new IllegalArgumentException("port must be between 0 and 65535");
			}
			this.port = port;
			return this;
		}

		/**
		 * Set the clock that decides token issue and expiry times, outage windows and
		 * received times; a test can pass a clock it moves forward to expire tokens
		 * without waiting.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock must not be null");
			return this;
		}

		/**
		 * Set how long issued tokens are valid, 24 hours by default as at IMS. The token
		 * response announces one second less, as IMS does ({@code 86399}).
		 * @param tokenLifetime the lifetime, at least one second
		 * @return this builder
		 */
		public Builder tokenLifetime(Duration tokenLifetime) {
			Objects.requireNonNull(tokenLifetime, "tokenLifetime must not be null");
			if (tokenLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
				throw new IllegalArgumentException("tokenLifetime must be at least one second");
			}
			this.tokenLifetime = tokenLifetime;
			return this;
		}

		/**
		 * Add a credential; the first one added replaces the default credential.
		 * @param clientId the client id
		 * @param clientSecret the client secret
		 * @param orgId the IMS organization id
		 * @param scopes the granted scopes
		 * @return this builder
		 */
		public Builder credential(String clientId, String clientSecret, String orgId, Collection<String> scopes) {
			return credential(EmulatorCredential.of(clientId, clientSecret, orgId, scopes));
		}

		/**
		 * Add a credential; the first one added replaces the default credential.
		 * @param clientId the client id
		 * @param clientSecret the client secret
		 * @param orgId the IMS organization id
		 * @param scopes the granted scopes
		 * @return this builder
		 */
		public Builder credential(String clientId, String clientSecret, String orgId, String... scopes) {
			return credential(clientId, clientSecret, orgId, Arrays.asList(scopes));
		}

		/**
		 * Add a credential, for example one with two secrets; the first one added
		 * replaces the default credential.
		 * @param credential the credential
		 * @return this builder
		 */
		public Builder credential(EmulatorCredential credential) {
			Objects.requireNonNull(credential, "credential must not be null");
			if (this.credentials.stream().anyMatch((existing) -> existing.clientId().equals(credential.clientId()))) {
				throw new IllegalArgumentException("Duplicate client id " + credential.clientId());
			}
			this.credentials.add(credential);
			return this;
		}

		/**
		 * Register a connection that needs no token, like an unauthenticated HTTP API
		 * dataflow in AEP. Every other connection id requires one.
		 * @param connectionId the connection id
		 * @return this builder
		 */
		public Builder unauthenticatedConnection(String connectionId) {
			if (connectionId == null || connectionId.isBlank()) {
				throw new IllegalArgumentException("connectionId must not be empty");
			}
			this.unauthenticatedConnections.add(connectionId);
			return this;
		}

		/**
		 * Set the seed of the random sequence that decides faults, {@code 0} by default.
		 * @param seed the seed
		 * @return this builder
		 */
		public Builder seed(long seed) {
			this.seed = seed;
			return this;
		}

		/**
		 * Set how many entries each log of the recorder keeps, 10,000 by default; zero
		 * keeps none and only counts.
		 * @param capacity the capacity
		 * @return this builder
		 */
		public Builder recorderCapacity(int capacity) {
			if (capacity < 0) {
				throw new IllegalArgumentException("capacity must not be negative");
			}
			this.recorderCapacity = capacity;
			return this;
		}

		/**
		 * Set the largest accepted request body, 1,000,000 bytes by default: AEP
		 * documents "1 MB" and the emulator reads it as decimal megabytes, the stricter
		 * choice. A larger streaming request is answered {@code 413}.
		 * @param maxRequestBytes the limit in bytes
		 * @return this builder
		 */
		public Builder maxRequestBytes(int maxRequestBytes) {
			if (maxRequestBytes < 1) {
				throw new IllegalArgumentException("maxRequestBytes must be positive");
			}
			this.maxRequestBytes = maxRequestBytes;
			return this;
		}

		/**
		 * Set how many synchronously validated requests a connection may send per minute,
		 * 60 by default as AEP documents.
		 * @param requestsPerMinute the limit
		 * @return this builder
		 */
		public Builder syncValidationRequestsPerMinute(int requestsPerMinute) {
			if (requestsPerMinute < 1) {
				throw new IllegalArgumentException("requestsPerMinute must be positive");
			}
			this.syncValidationRequestsPerMinute = requestsPerMinute;
			return this;
		}

		/**
		 * Build the emulator, not yet started.
		 * @return the emulator
		 */
		public AepEmulator build() {
			return new AepEmulator(this);
		}

	}

}
