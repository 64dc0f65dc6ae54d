package dev.aepstreaming.integration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.ImsTokenManagerCustomizer;
import dev.aepstreaming.ims.ImsAccessToken;
import dev.aepstreaming.ims.ImsTokenManager;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Tests the client-credentials exchange against Keycloak, in a container, with a
 * streaming endpoint on loopback that refuses expired tokens as AEP does. The realm
 * ({@code keycloak/aep-realm.json}) issues access tokens that live 10 seconds, so expiry
 * happens during the test. Skipped where no Docker engine is available;
 * {@link SpringAuthorizationServerInteroperabilityTests} covers the same behaviour
 * in-process.
 *
 * @author aep-streaming
 */
@Testcontainers(disabledWithoutDocker = true)
class KeycloakInteroperabilityTests {

	private static final String IMAGE = "quay.io/keycloak/keycloak:26.4.7";

	private static final String REALM = "aep";

	private static final String CLIENT_ID = "aep-client";

	private static final String CLIENT_SECRET = "keycloak-secret-never-logged";

	/**
	 * The one scope the realm defines. Keycloak splits the {@code scope} parameter on
	 * spaces and refuses unknown scopes with {@code invalid_scope}, while the starter
	 * joins scopes with commas as IMS expects: a single scope reads the same to both.
	 */
	private static final String SCOPE = "aep.streaming";

	private static final Duration TOKEN_LIFESPAN = Duration.ofSeconds(10);

	private static final JsonMapper jsonMapper = JsonMapper.builder().build();

	@Container
	private static final GenericContainer<?> keycloak = new GenericContainer<>(IMAGE)
		.withCopyFileToContainer(MountableFile.forClasspathResource("keycloak/aep-realm.json"),
				"/opt/keycloak/data/import/aep-realm.json")
		.withCommand("start-dev", "--import-realm")
		.withExposedPorts(8080)
		.waitingFor(Wait.forHttp("/realms/" + REALM + "/.well-known/openid-configuration")
			.forPort(8080)
			.forStatusCode(200)
			.withStartupTimeout(Duration.ofMinutes(3)));

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final List<String> bearers = new CopyOnWriteArrayList<>();

	private final List<String> refusedBearers = new CopyOnWriteArrayList<>();

	private final Set<String> revokedTokens = ConcurrentHashMap.newKeySet();

	private MockWebServer streaming;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void startStreamingEndpoint() throws IOException {
		this.streaming = new MockWebServer();
		this.streaming.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answer(request);
			}

		});
		this.streaming.start();
		String tokenUri = "http://" + keycloak.getHost() + ":" + keycloak.getMappedPort(8080) + "/realms/" + REALM
				+ "/protocol/openid-connect/token";
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.base-url=http://localhost:" + this.streaming.getPort(),
					"aep.streaming.connection-id=conn", "aep.streaming.ims.token-uri=" + tokenUri,
					"aep.streaming.ims.client-id=" + CLIENT_ID, "aep.streaming.ims.client-secret=" + CLIENT_SECRET,
					"aep.streaming.ims.org-id=ORG@AdobeOrg", "aep.streaming.ims.scopes=" + SCOPE,
					// Docker's host is loopback on GitHub's runners, but may be a remote
					// daemon elsewhere; the test realm's secret is no secret
					"aep.streaming.allow-insecure-http=true");
	}

	@AfterEach
	void stopStreamingEndpoint() throws IOException {
		this.streaming.shutdown();
	}

	@Test
	void whenSendingSeveralEventsThenOneTokenIssuedByKeycloakIsUsedForAll() {
		withTimeStandingStill().run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			for (int i = 0; i < 5; i++) {
				assertThat(template.send(StreamingMessage.raw(Map.of("n", i))).xactionId()).isEqualTo("x-1");
			}
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			assertThat(tokenManager.getTokenRequestCount()).isOne();
			assertThat(this.bearers).hasSize(5).containsOnly(this.bearers.get(0));
			assertThat(this.requests)
				.allSatisfy((request) -> assertThat(request.getHeader("x-api-key")).isEqualTo(CLIENT_ID));
			JsonNode claims = claimsOf(this.bearers.get(0));
			assertThat(claims.path("iss").asString()).endsWith("/realms/" + REALM);
			assertThat(claims.path("azp").asString()).isEqualTo(CLIENT_ID);
			assertThat(claims.path("scope").asString().split(" ")).contains(SCOPE);
			assertThat(tokenManager.getCurrentToken().orElseThrow().getLifetime().toSeconds())
				.isCloseTo(TOKEN_LIFESPAN.toSeconds(), within(1L));
		});
	}

	@Test
	void whenTheShortLivedTokenNearsItsExpiryThenANewOneIsObtainedFromKeycloakBeforeItExpires() {
		this.contextRunner.run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			template.send(StreamingMessage.raw("{}"));
			ImsAccessToken first = tokenManager.getCurrentToken().orElseThrow();
			await().atMost(TOKEN_LIFESPAN.multipliedBy(3))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> tokenManager.getCurrentToken().filter((token) -> token != first).isPresent());
			ImsAccessToken second = tokenManager.getCurrentToken().orElseThrow();
			assertThat(second.getObtainedAt()).isBefore(first.getExpiresAt());
			template.send(StreamingMessage.raw("{}"));
			assertThat(this.bearers).hasSize(2);
			assertThat(this.bearers.get(1)).isEqualTo(second.getTokenValue()).isNotEqualTo(this.bearers.get(0));
			assertThat(claimsOf(this.bearers.get(1)).path("exp").asLong())
				.isGreaterThan(claimsOf(this.bearers.get(0)).path("exp").asLong());
			assertThat(this.refusedBearers).isEmpty();
		});
	}

	@Test
	void whenTheStreamingEndpointRefusesATokenThenANewOneIsObtainedFromKeycloakAndTheSendSucceeds() {
		withTimeStandingStill().run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			template.send(StreamingMessage.raw("{}"));
			this.revokedTokens.add(this.bearers.get(0));
			assertThat(template.send(StreamingMessage.raw("{}")).xactionId()).isEqualTo("x-1");
			assertThat(context.getBean(ImsTokenManager.class).getTokenRequestCount()).isEqualTo(2);
			assertThat(this.bearers).hasSize(3);
			assertThat(this.refusedBearers).containsExactly(this.bearers.get(0));
			assertThat(this.bearers.get(2)).isNotEqualTo(this.bearers.get(1));
		});
	}

	@Test
	void whenTheSecretIsWrongThenTheFailureNamesTheClientAndKeycloaksErrorButNotTheSecret() {
		this.contextRunner.withPropertyValues("aep.streaming.ims.client-secret=wrong-secret-value").run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			assertThatExceptionOfType(ImsTokenException.class)
				.isThrownBy(() -> template.send(StreamingMessage.raw("{}")))
				.satisfies((ex) -> {
					assertThat(ex.isCredentialRejected()).isTrue();
					// Keycloak answers 401 with unauthorized_client where RFC 6749 says
					// invalid_client; both are credential errors to the starter.
					assertThat(ex.getImsError()).isIn("invalid_client", "unauthorized_client");
					assertThat(ex.getMessage()).contains(CLIENT_ID)
						.contains(ex.getImsError())
						.doesNotContain("wrong-secret-value")
						.doesNotContain(CLIENT_SECRET);
				});
			assertThat(this.bearers).isEmpty();
		});
	}

	/**
	 * Freeze the starter's clock so that the 10-second tokens never age in its eyes,
	 * however slowly the test runs; Keycloak and the streaming endpoint keep real time.
	 */
	private ApplicationContextRunner withTimeStandingStill() {
		Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
		return this.contextRunner.withBean(ImsTokenManagerCustomizer.class, () -> (manager) -> manager.setClock(clock));
	}

	/**
	 * Answer like AEP's authenticated streaming endpoint: a token that has expired, or
	 * that the test revoked, gets a {@code 401}.
	 */
	private MockResponse answer(RecordedRequest request) {
		this.requests.add(request);
		String bearer = request.getHeader("Authorization").substring("Bearer ".length());
		this.bearers.add(bearer);
		long expiresAt = claimsOf(bearer).path("exp").asLong();
		if (this.revokedTokens.contains(bearer) || Instant.now().getEpochSecond() >= expiresAt) {
			this.refusedBearers.add(bearer);
			return new MockResponse().setResponseCode(401)
				.setBody("{\"title\":\"Authorization\",\"status\":\"401\","
						+ "\"report\":{\"message\":\"Ims service token is invalid\"}}");
		}
		return new MockResponse().setHeader("Content-Type", "application/json")
			.setBody("{\"inletId\":\"conn\",\"xactionId\":\"x-1\",\"receivedTimeMs\":1}");
	}

	private static JsonNode claimsOf(String jwt) {
		String[] parts = jwt.split("\\.");
		assertThat(parts).as("a JWT has three parts").hasSize(3);
		return jsonMapper.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
	}

}
