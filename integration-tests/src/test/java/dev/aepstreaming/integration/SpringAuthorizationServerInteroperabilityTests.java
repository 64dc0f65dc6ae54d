package dev.aepstreaming.integration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Tests the client-credentials exchange against Spring Authorization Server, an OAuth2
 * server that owes nothing to our emulator, with a streaming endpoint on loopback that
 * accepts only the tokens it has been told about. One client's tokens live 5 minutes,
 * another's 10 seconds, so that expiry with Keycloak's short-lived tokens
 * ({@link KeycloakInteroperabilityTests}, which needs Docker) is covered here too.
 *
 * @author aep-streaming
 */
class SpringAuthorizationServerInteroperabilityTests {

	private static final String CLIENT_SECRET = "sas-secret-never-logged";

	private static final String SHORT_LIVED_CLIENT_ID = "aep-short-lived-client";

	private static final String SHORT_LIVED_CLIENT_SECRET = "sas-short-lived-secret-never-logged";

	private static final Duration SHORT_LIFETIME = Duration.ofSeconds(10);

	private static final JsonMapper jsonMapper = JsonMapper.builder().build();

	private static ConfigurableApplicationContext authorizationServer;

	private static int authorizationServerPort;

	private final MutableClock clock = new MutableClock(Instant.now());

	private final List<String> bearers = new CopyOnWriteArrayList<>();

	private final Set<String> refusedTokens = ConcurrentHashMap.newKeySet();

	private MockWebServer streaming;

	private ApplicationContextRunner contextRunner;

	@BeforeAll
	static void startAuthorizationServer() {
		String client = "spring.security.oauth2.authorizationserver.client.aep.";
		String shortLived = "spring.security.oauth2.authorizationserver.client.aep-short-lived.";
		authorizationServer = new SpringApplicationBuilder(AuthorizationServerApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "aep.streaming.enabled=false", client + "registration.client-id=aep-client",
					client + "registration.client-secret={noop}" + CLIENT_SECRET,
					client + "registration.client-authentication-methods=client_secret_post",
					client + "registration.authorization-grant-types=client_credentials",
					client + "registration.scopes=aep.streaming", client + "token.access-token-time-to-live=5m",
					shortLived + "registration.client-id=" + SHORT_LIVED_CLIENT_ID,
					shortLived + "registration.client-secret={noop}" + SHORT_LIVED_CLIENT_SECRET,
					shortLived + "registration.client-authentication-methods=client_secret_post",
					shortLived + "registration.authorization-grant-types=client_credentials",
					shortLived + "registration.scopes=aep.streaming",
					shortLived + "token.access-token-time-to-live=" + SHORT_LIFETIME.toSeconds() + "s")
			.run();
		authorizationServerPort = ((WebServerApplicationContext) authorizationServer).getWebServer().getPort();
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@BeforeEach
	void startStreamingEndpoint() throws IOException {
		this.streaming = new MockWebServer();
		this.streaming.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String bearer = request.getHeader("Authorization").substring("Bearer ".length());
				SpringAuthorizationServerInteroperabilityTests.this.bearers.add(bearer);
				if (SpringAuthorizationServerInteroperabilityTests.this.refusedTokens.contains(bearer)) {
					return new MockResponse().setResponseCode(401)
						.setBody("{\"title\":\"Authorization\",\"status\":\"401\","
								+ "\"report\":{\"message\":\"Ims service token is invalid\"}}");
				}
				return new MockResponse().setHeader("Content-Type", "application/json")
					.setBody("{\"inletId\":\"conn\",\"xactionId\":\"x-1\",\"receivedTimeMs\":1}");
			}

		});
		this.streaming.start();
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.base-url=http://localhost:" + this.streaming.getPort(),
					"aep.streaming.connection-id=conn",
					"aep.streaming.ims.token-uri=http://localhost:" + authorizationServerPort + "/oauth2/token",
					"aep.streaming.ims.client-id=aep-client", "aep.streaming.ims.client-secret=" + CLIENT_SECRET,
					"aep.streaming.ims.org-id=ORG@AdobeOrg", "aep.streaming.ims.scopes=aep.streaming")
			.withBean(ImsTokenManagerCustomizer.class, () -> (manager) -> manager.setClock(this.clock));
	}

	@AfterEach
	void stopStreamingEndpoint() throws IOException {
		this.streaming.shutdown();
	}

	@Test
	void whenSendingSeveralEventsThenOneTokenIssuedBySpringAuthorizationServerIsUsedForAll() {
		this.contextRunner.run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			for (int i = 0; i < 3; i++) {
				template.send(StreamingMessage.raw(Map.of("n", i)));
			}
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			assertThat(tokenManager.getTokenRequestCount()).isEqualTo(1);
			assertThat(this.bearers).hasSize(3).containsOnly(this.bearers.get(0));
			JsonNode claims = claimsOf(this.bearers.get(0));
			assertThat(claims.path("sub").asString()).isEqualTo("aep-client");
			assertThat(claims.path("scope").toString()).contains("aep.streaming");
			assertThat(tokenManager.getCurrentToken().orElseThrow().getLifetime().toSeconds()).isCloseTo(300,
					within(1L));
		});
	}

	@Test
	void whenTheTokenEntersItsRefreshWindowThenANewOneIsObtainedFromSpringAuthorizationServer() {
		this.contextRunner.run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			template.send(StreamingMessage.raw("{}"));
			this.clock.advance(Duration.ofMinutes(4).plusSeconds(50));
			template.send(StreamingMessage.raw("{}"));
			awaitTokenObtainedAtOrAfter(tokenManager, this.clock.instant());
			template.send(StreamingMessage.raw("{}"));
			assertThat(tokenManager.getTokenRequestCount()).isEqualTo(2);
			assertThat(this.bearers.get(2)).isNotEqualTo(this.bearers.get(0));
		});
	}

	@Test
	void whenAShortLivedTokenNearsItsExpiryThenANewOneIsObtainedBeforeItExpires() {
		withShortLivedTokens().run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			template.send(StreamingMessage.raw("{}"));
			ImsAccessToken first = tokenManager.getCurrentToken().orElseThrow();
			assertThat(first.getLifetime().toSeconds()).isCloseTo(SHORT_LIFETIME.toSeconds(), within(1L));
			// Past the refresh window (the last quarter of the lifetime, jittered) but
			// before the last tenth, in which a token is no longer handed out.
			this.clock.advance(SHORT_LIFETIME.multipliedBy(85).dividedBy(100));
			template.send(StreamingMessage.raw("{}"));
			awaitTokenObtainedAtOrAfter(tokenManager, this.clock.instant());
			assertThat(tokenManager.getCurrentToken().orElseThrow().getObtainedAt()).isBefore(first.getExpiresAt());
			template.send(StreamingMessage.raw("{}"));
			assertThat(tokenManager.getTokenRequestCount()).isEqualTo(2);
			assertThat(this.bearers).hasSize(3);
			assertThat(this.bearers.get(2)).isNotEqualTo(first.getTokenValue());
			assertThat(claimsOf(this.bearers.get(2)).path("sub").asString()).isEqualTo(SHORT_LIVED_CLIENT_ID);
		});
	}

	@Test
	void whenAShortLivedTokenHasExpiredThenTheNextSendWaitsForANewOne() {
		withShortLivedTokens().run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			template.send(StreamingMessage.raw("{}"));
			ImsAccessToken first = tokenManager.getCurrentToken().orElseThrow();
			this.clock.advance(SHORT_LIFETIME.plusSeconds(1));
			template.send(StreamingMessage.raw("{}"));
			assertThat(tokenManager.getTokenRequestCount()).isEqualTo(2);
			assertThat(this.bearers).hasSize(2);
			assertThat(this.bearers.get(1)).isNotEqualTo(first.getTokenValue());
			assertThat(tokenManager.getCurrentToken().orElseThrow().getObtainedAt())
				.isAfterOrEqualTo(first.getExpiresAt());
		});
	}

	@Test
	void whenTheStreamingEndpointRefusesATokenThenANewOneIsObtainedAndTheSendSucceeds() {
		this.contextRunner.run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			template.send(StreamingMessage.raw("{}"));
			this.refusedTokens.add(this.bearers.get(0));
			assertThat(template.send(StreamingMessage.raw("{}")).xactionId()).isEqualTo("x-1");
			assertThat(context.getBean(ImsTokenManager.class).getTokenRequestCount()).isEqualTo(2);
			assertThat(this.bearers).hasSize(3);
			assertThat(this.bearers.get(2)).isNotEqualTo(this.bearers.get(1));
		});
	}

	@Test
	void whenTheSecretIsWrongThenTheFailureNamesTheClientAndTheServersErrorButNotTheSecret() {
		this.contextRunner.withPropertyValues("aep.streaming.ims.client-secret=wrong-secret-value").run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			assertThatExceptionOfType(ImsTokenException.class)
				.isThrownBy(() -> template.send(StreamingMessage.raw("{}")))
				.satisfies((ex) -> {
					assertThat(ex.isCredentialRejected()).isTrue();
					assertThat(ex.getImsError()).isEqualTo("invalid_client");
					assertThat(ex.getMessage()).contains("aep-client").doesNotContain("wrong-secret-value");
				});
			assertThat(this.bearers).isEmpty();
		});
	}

	private ApplicationContextRunner withShortLivedTokens() {
		return this.contextRunner.withPropertyValues("aep.streaming.ims.client-id=" + SHORT_LIVED_CLIENT_ID,
				"aep.streaming.ims.client-secret=" + SHORT_LIVED_CLIENT_SECRET);
	}

	private static void awaitTokenObtainedAtOrAfter(ImsTokenManager tokenManager, Instant instant) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> tokenManager.getCurrentToken()
				.map((token) -> !token.getObtainedAt().isBefore(instant))
				.orElse(false));
	}

	private static JsonNode claimsOf(String jwt) {
		String[] parts = jwt.split("\\.");
		assertThat(parts).as("a JWT has three parts").hasSize(3);
		return jsonMapper.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class AuthorizationServerApplication {

	}

	static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
