package dev.aepstreaming.ims;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * An IMS token endpoint on loopback, and the real Spring Security chain that talks to it.
 * Counts the token requests it receives and can hold its answers until released, so that
 * concurrent callers really overlap.
 *
 * @author aep-streaming
 */
final class MockIms implements AutoCloseable {

	static final String REGISTRATION_ID = "aep-ims";

	static final String CLIENT_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

	static final String CLIENT_SECRET = "p8e-S3cr3t-mustNeverBeShown";

	static final List<String> SCOPES = List.of("openid", "AdobeID", "read_organizations");

	static final String TOKEN_PATH = "/ims/token/v3";

	static final String TOKEN_PREFIX = "eyJ.ims-access-token-";

	private final MockWebServer server = new MockWebServer();

	private final AtomicInteger tokenRequests = new AtomicInteger();

	private final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();

	private volatile IntFunction<MockResponse> answer = (n) -> token(n, 86399);

	private volatile CountDownLatch gate = new CountDownLatch(0);

	MockIms() {
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				if (!TOKEN_PATH.equals(request.getPath())) {
					return new MockResponse().setResponseCode(404);
				}
				int number = MockIms.this.tokenRequests.incrementAndGet();
				MockIms.this.requests.add(request);
				MockIms.this.gate.await(30, TimeUnit.SECONDS);
				return MockIms.this.answer.apply(number);
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
	 * Return the value of the n-th token that IMS issues.
	 */
	static String tokenValue(int number) {
		return TOKEN_PREFIX + number;
	}

	static MockResponse token(int number, long expiresInSeconds) {
		return json(200, "{\"access_token\":\"" + tokenValue(number) + "\",\"token_type\":\"bearer\",\"expires_in\":"
				+ expiresInSeconds + "}");
	}

	static MockResponse json(int status, String body) {
		return new MockResponse().setResponseCode(status)
			.setHeader("Content-Type", "application/json;charset=utf-8")
			.setBody(body);
	}

	String tokenUri() {
		return this.server.url(TOKEN_PATH).toString();
	}

	/**
	 * Answer every following token request with a token of the given lifetime.
	 */
	void answerTokens(long expiresInSeconds) {
		this.answer = (n) -> token(n, expiresInSeconds);
	}

	void answer(int status, String jsonBody) {
		this.answer = (n) -> json(status, jsonBody);
	}

	/**
	 * Accept token requests but never answer them.
	 */
	void answerNothing() {
		this.answer = (n) -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
	}

	/**
	 * Hold the answers to token requests until {@link #releaseAnswers()}.
	 */
	void holdAnswers() {
		this.gate = new CountDownLatch(1);
	}

	void releaseAnswers() {
		this.gate.countDown();
	}

	int getTokenRequestCount() {
		return this.tokenRequests.get();
	}

	List<RecordedRequest> getRequests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Create a token manager wired through Spring Security's client-credentials chain to
	 * this IMS, with the given clock, no refresh jitter (the random generator answers 0)
	 * and a virtual-time scheduler, so that the background timer fires only when a test
	 * advances it.
	 */
	ImsTokenManager tokenManager(Clock clock, VirtualTimeScheduler scheduler) {
		ClientRegistration registration = ImsOAuth2Clients.clientRegistration(REGISTRATION_ID, tokenUri(), CLIENT_ID,
				SCOPES);
		InMemoryReactiveClientRegistrationRepository registrations = new InMemoryReactiveClientRegistrationRepository(
				registration);
		InMemoryReactiveOAuth2AuthorizedClientService authorizedClients = new InMemoryReactiveOAuth2AuthorizedClientService(
				registrations);
		AuthorizedClientManagerTokenFetcher fetcher = new AuthorizedClientManagerTokenFetcher(
				ImsOAuth2Clients.authorizedClientManager(registrations, authorizedClients,
						ImsOAuth2Clients.tokenResponseClient(WebClient.create(), CLIENT_SECRET)),
				authorizedClients, REGISTRATION_ID, "aep-streaming");
		ImsTokenManager manager = new ImsTokenManager(fetcher, CLIENT_ID, tokenUri());
		manager.setClock(clock);
		manager.setRandom(fixedRandom(0.0));
		manager.setScheduler(scheduler);
		return manager;
	}

	/**
	 * Return a random generator whose {@code nextDouble()} always answers the given
	 * value.
	 */
	static RandomGenerator fixedRandom(double value) {
		return new RandomGenerator() {

			@Override
			public long nextLong() {
				return 0;
			}

			@Override
			public double nextDouble() {
				return value;
			}

		};
	}

	@Override
	public void close() throws IOException {
		releaseAnswers();
		this.server.shutdown();
	}

}
