package dev.aepstreaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.aepstreaming.http.ImsBearerExchangeFilterFunction;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.ims.AuthorizedClientManagerTokenFetcher;
import dev.aepstreaming.ims.ImsOAuth2Clients;
import dev.aepstreaming.ims.ImsTokenManager;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import dev.aepstreaming.xdm.XdmEnvelopeSettings;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two loopback HTTP servers that stand in for Adobe IMS and for an AEP streaming
 * connection, each recording what it receives, and the real client stack wired against
 * them: Spring Security's client-credentials exchange through {@link ImsOAuth2Clients},
 * the {@link ImsTokenManager}, the {@link ImsBearerExchangeFilterFunction} and the
 * {@link StreamingHttpClient}.
 * <p>
 * IMS issues {@code eyJ.ims-token-1}, {@code eyJ.ims-token-2}, … in order, to requests
 * that carry the test credential; the streaming server accepts every message until told
 * otherwise.
 *
 * @author aep-streaming
 */
public final class AepTestServers implements AutoCloseable {

	public static final Duration TIMEOUT = Duration.ofSeconds(20);

	public static final String REGISTRATION_ID = "aep-ims";

	public static final String CLIENT_ID = "aep-test-client-id";

	public static final String CLIENT_SECRET = "p8e-SECRET-9f4c1a77";

	public static final String TOKEN_PREFIX = "eyJ.ims-token-";

	public static final String ORG_ID = "A1B2C3D4E5F60718@AdobeOrg";

	public static final String SANDBOX = "dev-sandbox";

	public static final String CONNECTION_ID = "9f3c2a1b-inlet";

	public static final String FLOW_ID = "d2f6e8a0-flow";

	public static final String SCHEMA_ID = "https://ns.adobe.com/acme/schemas/6a1b2c3d";

	public static final String SCHEMA_CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1";

	public static final String DATASET_ID = "65a0f1d2c3b4dataset";

	public static final String SOURCE_NAME = "aep-streaming-tests";

	public static final String TOKEN_PATH = "/ims/token/v3";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RecordingServer ims;

	private final RecordingServer streaming;

	private final AtomicInteger issuedTokens = new AtomicInteger();

	private final List<ImsTokenManager> tokenManagers = new CopyOnWriteArrayList<>();

	private AepTestServers() {
		this.ims = new RecordingServer(this::issueToken);
		this.streaming = new RecordingServer((request) -> accepted());
	}

	/**
	 * Start both servers on loopback.
	 * @return the servers
	 */
	public static AepTestServers start() {
		return new AepTestServers();
	}

	public RecordingServer ims() {
		return this.ims;
	}

	public RecordingServer streaming() {
		return this.streaming;
	}

	/**
	 * Return the value of the n-th token that IMS issued, counting from 1.
	 * @param n the token's number
	 * @return the token value
	 */
	public static String token(int n) {
		return TOKEN_PREFIX + n;
	}

	/**
	 * Create a token manager that fetches tokens from the IMS server over HTTP, through
	 * Spring Security, exactly as the auto-configuration wires it.
	 * @return the token manager
	 */
	public ImsTokenManager tokenManager() {
		String tokenUri = this.ims.url(TOKEN_PATH);
		ClientRegistration registration = ImsOAuth2Clients.clientRegistration(REGISTRATION_ID, tokenUri, CLIENT_ID,
				List.of("openid", "AdobeID", "read_organizations"));
		InMemoryReactiveClientRegistrationRepository registrations = new InMemoryReactiveClientRegistrationRepository(
				registration);
		InMemoryReactiveOAuth2AuthorizedClientService service = new InMemoryReactiveOAuth2AuthorizedClientService(
				registrations);
		ReactiveOAuth2AuthorizedClientManager manager = ImsOAuth2Clients.authorizedClientManager(registrations, service,
				ImsOAuth2Clients.tokenResponseClient(WebClient.create(), CLIENT_SECRET));
		ImsTokenManager tokenManager = new ImsTokenManager(
				new AuthorizedClientManagerTokenFetcher(manager, service, REGISTRATION_ID, "aep-streaming"), CLIENT_ID,
				tokenUri);
		this.tokenManagers.add(tokenManager);
		return tokenManager;
	}

	/**
	 * Create a web client for the streaming server that authenticates with the given
	 * token manager.
	 * @param tokenManager the source of tokens
	 * @param readTimeout the longest pause in AEP's answer, Reactor Netty's response
	 * timeout
	 * @return the web client
	 */
	public WebClient webClient(ImsTokenManager tokenManager, Duration readTimeout) {
		return WebClient.builder()
			.baseUrl(this.streaming.baseUrl())
			.clientConnector(connector(readTimeout))
			.filter(new ImsBearerExchangeFilterFunction(tokenManager, CLIENT_ID, ORG_ID))
			.build();
	}

	/**
	 * Create a streaming client that authenticates with a new token manager and sends the
	 * flow id.
	 * @return the client
	 */
	public StreamingHttpClient client() {
		return client(tokenManager(), FLOW_ID, Clock.systemUTC());
	}

	/**
	 * Create a streaming client.
	 * @param tokenManager the source of tokens
	 * @param flowId the flow id to send, if any
	 * @param clock the clock that {@code Retry-After} dates are measured against
	 * @return the client
	 */
	public StreamingHttpClient client(ImsTokenManager tokenManager, @Nullable String flowId, Clock clock) {
		return new StreamingHttpClient(webClient(tokenManager, Duration.ofSeconds(10)), JSON, CONNECTION_ID, SANDBOX,
				flowId, clock);
	}

	/**
	 * Create a reactive template with complete envelope settings on a new client.
	 * @param syncValidation the {@code aep.streaming.sync-validation} default
	 * @return the template
	 */
	public ReactiveStreamingTemplate reactiveTemplate(boolean syncValidation) {
		return new ReactiveStreamingTemplate(client(), writer(envelopeSettings()), syncValidation);
	}

	/**
	 * Create a blocking template with complete envelope settings on a new client.
	 * @return the template
	 */
	public StreamingTemplate template() {
		return new StreamingTemplate(reactiveTemplate(false));
	}

	public static ReactorClientHttpConnector connector(Duration responseTimeout) {
		return new ReactorClientHttpConnector(HttpClient.create().responseTimeout(responseTimeout));
	}

	public static JsonMapper jsonMapper() {
		return JSON;
	}

	public static XdmEnvelopeSettings envelopeSettings() {
		return new XdmEnvelopeSettings(SCHEMA_ID, SCHEMA_CONTENT_TYPE, ORG_ID, DATASET_ID, FLOW_ID, SOURCE_NAME);
	}

	public static StreamingMessageWriter writer(XdmEnvelopeSettings settings) {
		return new StreamingMessageWriter(JSON, settings);
	}

	/**
	 * AEP's answer to an accepted single message in asynchronous mode.
	 * @return the response
	 */
	public static MockResponse accepted() {
		return json(200, "{\"inletId\":\"" + CONNECTION_ID + "\",\"xactionId\":\"1584479347507:2153:240\","
				+ "\"receivedTimeMs\":1584479347507,\"syncValidation\":{\"skipped\":true}}");
	}

	/**
	 * AEP's answer to a request whose token it refuses, with the problem document AEP
	 * sends ({@code status} is a string there).
	 * @param status {@code 401} or {@code 403}
	 * @return the response
	 */
	public static MockResponse refused(int status) {
		return json(status,
				"{\"type\":\"https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization\","
						+ "\"status\":\"" + status + "\",\"title\":\"Authorization\"," + "\"report\":{\"message\":\"["
						+ CONNECTION_ID + "] Ims service token is invalid\"}}");
	}

	public static MockResponse json(int status, String body) {
		return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body);
	}

	/**
	 * Return the bearer token that a request carried.
	 * @param request the request
	 * @return the token value, or {@code null} without an {@code Authorization} header
	 */
	@Nullable public static String bearerToken(RecordedRequest request) {
		String authorization = request.getHeader("Authorization");
		return (authorization != null && authorization.startsWith("Bearer ")) ? authorization.substring(7) : null;
	}

	public static String body(RecordedRequest request) {
		return request.getBody().clone().readUtf8();
	}

	public static JsonNode bodyJson(RecordedRequest request) {
		return JSON.readTree(body(request));
	}

	/**
	 * Assert that neither the client secret nor any token value appears in the given
	 * object's {@code toString()} or, for an exception, in the message or
	 * {@code toString()} of it or any of its causes.
	 * @param value the object to check
	 */
	public static void assertRevealsNoSecret(Object value) {
		List<String> texts = new ArrayList<>();
		texts.add(String.valueOf(value));
		if (value instanceof Throwable ex) {
			for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
				texts.add(String.valueOf(candidate.getMessage()));
				texts.add(candidate.toString());
			}
		}
		assertThat(texts).allSatisfy((text) -> assertThat(text).doesNotContain(CLIENT_SECRET)
			.doesNotContain(TOKEN_PREFIX)
			.doesNotContainIgnoringCase("Bearer "));
	}

	private MockResponse issueToken(RecordedRequest request) {
		String form = URLDecoder.decode(body(request), StandardCharsets.UTF_8);
		if (!TOKEN_PATH.equals(request.getPath()) || !form.contains("grant_type=client_credentials")
				|| !form.contains("client_id=" + CLIENT_ID) || !form.contains("client_secret=" + CLIENT_SECRET)) {
			return json(400,
					"{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret parameter\"}");
		}
		return json(200, "{\"access_token\":\"" + token(this.issuedTokens.incrementAndGet())
				+ "\",\"token_type\":\"bearer\",\"expires_in\":86399}");
	}

	@Override
	public void close() {
		this.tokenManagers.forEach(ImsTokenManager::close);
		this.ims.close();
		this.streaming.close();
	}

	/**
	 * A {@link MockWebServer} on loopback whose dispatcher records every request and
	 * answers through a replaceable function.
	 */
	public static final class RecordingServer implements AutoCloseable {

		private final MockWebServer server = new MockWebServer();

		private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();

		private volatile Function<RecordedRequest, MockResponse> responder;

		RecordingServer(Function<RecordedRequest, MockResponse> responder) {
			this.responder = responder;
			this.server.setDispatcher(new Dispatcher() {

				@Override
				public MockResponse dispatch(RecordedRequest request) {
					RecordingServer.this.requests.add(request);
					return RecordingServer.this.responder.apply(request);
				}

			});
			try {
				this.server.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Answer every further request through the given function, which must create a
		 * new response each time.
		 * @param responder the function
		 */
		public void respond(Function<RecordedRequest, MockResponse> responder) {
			this.responder = responder;
		}

		public List<RecordedRequest> requests() {
			return List.copyOf(this.requests);
		}

		public int requestCount() {
			return this.requests.size();
		}

		public RecordedRequest onlyRequest() {
			assertThat(this.requests).hasSize(1);
			return this.requests.peek();
		}

		public String baseUrl() {
			return "http://" + this.server.getHostName() + ":" + this.server.getPort();
		}

		public String url(String path) {
			return baseUrl() + path;
		}

		@Override
		public void close() {
			try {
				this.server.shutdown();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
