package dev.aepstreaming.autoconfigure;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.aepstreaming.BatchResult;
import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingOperations;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.delivery.DeadLetterHandler;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.ims.ImsTokenManager;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AepStreamingAutoConfiguration}.
 *
 * @author aep-streaming
 */
class AepStreamingAutoConfigurationTests {

	private static final String SECRET = "s3cr3t-value-never-logged";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepStreamingAutoConfiguration.class));

	private MockWebServer server;

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startServer() throws IOException {
		this.server = new MockWebServer();
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				AepStreamingAutoConfigurationTests.this.requests.add(request);
				if (request.getPath().startsWith("/ims/token/v3")) {
					return json("{\"access_token\":\"token-1\",\"token_type\":\"bearer\",\"expires_in\":86399}");
				}
				return json("{\"inletId\":\"conn-1\",\"xactionId\":\"1584479347507:2153:240\","
						+ "\"receivedTimeMs\":1584479347507}");
			}

		});
		this.server.start();
	}

	@AfterEach
	void stopServer() throws IOException {
		this.server.shutdown();
	}

	@Test
	void whenConfiguredThenTemplatesTokenManagerAndNamedSecurityBeansAreRegistered() {
		this.contextRunner.withPropertyValues(validProperties()).run((context) -> {
			assertThat(context).hasSingleBean(StreamingTemplate.class)
				.hasSingleBean(ReactiveStreamingTemplate.class)
				.hasSingleBean(ImsTokenManager.class)
				.hasSingleBean(DeliveryEngine.class)
				.hasSingleBean(DeadLetterHandler.class)
				.hasSingleBean(AepStreamingConnectionDetails.class);
			assertThat(context).hasBean(AepStreamingAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)
				.hasBean(AepStreamingAutoConfiguration.AUTHORIZED_CLIENT_SERVICE_BEAN_NAME);
		});
	}

	@Test
	void whenSendingThroughTheContextThenTheTokenIsFetchedOnceAndTheEventIsAcknowledged() {
		this.contextRunner.withPropertyValues(validProperties()).run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			StreamingResult first = template.send(Map.of("_id", "e-1"));
			template.send(Map.of("_id", "e-2"));
			assertThat(first.xactionId()).isEqualTo("1584479347507:2153:240");
			assertThat(this.requests).extracting(RecordedRequest::getPath)
				.containsExactly("/ims/token/v3", "/collection/conn-1", "/collection/conn-1");
			RecordedRequest tokenRequest = this.requests.get(0);
			assertThat(tokenRequest.getBody().readUtf8()).contains("grant_type=client_credentials")
				.contains("client_id=client-1")
				.contains("scope=openid%2CAdobeID");
			RecordedRequest send = this.requests.get(1);
			assertThat(send.getHeader("Authorization")).isEqualTo("Bearer token-1");
			assertThat(send.getHeader("x-api-key")).isEqualTo("client-1");
			assertThat(send.getHeader("x-gw-ims-org-id")).isEqualTo("ORG1@AdobeOrg");
			assertThat(send.getHeader("x-sandbox-name")).isEqualTo("dev");
			assertThat(send.getHeader("x-adobe-flow-id")).isEqualTo("flow-1");
		});
	}

	@Test
	void whenTheManagerAuthorizesThenNoSpringSecurityObjectItReturnsRevealsTheSecret() {
		this.contextRunner.withPropertyValues(validProperties()).run((context) -> {
			ReactiveOAuth2AuthorizedClientManager manager = context.getBean(
					AepStreamingAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME,
					ReactiveOAuth2AuthorizedClientManager.class);
			OAuth2AuthorizedClient client = manager
				.authorize(
						OAuth2AuthorizeRequest.withClientRegistrationId(AepStreamingAutoConfiguration.REGISTRATION_ID)
							.principal("someone")
							.build())
				.block(Duration.ofSeconds(10));
			assertThat(client.getAccessToken().getTokenValue()).isEqualTo("token-1");
			assertThat(client.getClientRegistration().toString()).contains("client-1").doesNotContain(SECRET);
			assertThat(client.getClientRegistration().getClientSecret()).doesNotContain(SECRET);
			assertThat(this.requests.get(0).getBody().readUtf8()).contains("client_secret=" + SECRET);
		});
	}

	@Test
	void whenDisabledThenNothingIsRegistered() {
		this.contextRunner.withPropertyValues(validProperties())
			.withPropertyValues("aep.streaming.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StreamingTemplate.class)
				.doesNotHaveBean(ImsTokenManager.class)
				.doesNotHaveBean(AepStreamingProperties.class));
	}

	@Test
	void whenUnauthenticatedThenNoCredentialIsRequiredAndNoTokenIsSent() {
		this.contextRunner
			.withPropertyValues("aep.streaming.authenticated=false", "aep.streaming.connection-id=conn-1",
					"aep.streaming.base-url=" + baseUrl())
			.run((context) -> {
				assertThat(context).hasSingleBean(StreamingTemplate.class)
					.doesNotHaveBean(ImsTokenManager.class)
					.doesNotHaveBean(AepStreamingAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME);
				context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{\"id\":1}"));
				assertThat(this.requests).singleElement().satisfies((request) -> {
					assertThat(request.getPath()).isEqualTo("/collection/conn-1");
					assertThat(request.getHeader("Authorization")).isNull();
				});
			});
	}

	@Test
	void whenCredentialsAreMissingThenStartupFailsListingEachProperty() {
		this.contextRunner.withPropertyValues("aep.streaming.ims.client-id= ").run((context) -> {
			assertThat(context).hasFailed();
			InvalidAepStreamingConfigurationException failure = findCause(context.getStartupFailure());
			assertThat(failure.getProblems()).anyMatch((problem) -> problem.startsWith("aep.streaming.connection-id"))
				.anyMatch((problem) -> problem.startsWith("aep.streaming.ims.client-id"))
				.anyMatch((problem) -> problem.startsWith("aep.streaming.ims.client-secret"))
				.anyMatch((problem) -> problem.startsWith("aep.streaming.ims.org-id"));
			FailureAnalysis analysis = new InvalidAepStreamingConfigurationFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("aep.streaming.connection-id")
				.contains("aep.streaming.ims.client-secret")
				.contains("aep.streaming.ims.org-id");
			assertThat(analysis.getAction()).contains("Adobe Developer Console");
		});
	}

	@Test
	void whenPlainHttpGoesToARemoteHostThenStartupFailsNamingTheProperty() {
		this.contextRunner.withPropertyValues(validProperties())
			.withPropertyValues("aep.streaming.ims.token-uri=http://ims.example.com/ims/token/v3")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(findCause(context.getStartupFailure()).getProblems()).singleElement()
					.asString()
					.startsWith("aep.streaming.ims.token-uri uses plain http to 'ims.example.com'")
					.contains("aep.streaming.allow-insecure-http");
			});
	}

	@Test
	void whenPlainHttpIsExplicitlyAllowedThenARemoteHostIsAccepted() {
		this.contextRunner.withPropertyValues(validProperties())
			.withPropertyValues("aep.streaming.ims.token-uri=http://ims.example.com/ims/token/v3",
					"aep.streaming.allow-insecure-http=true")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void whenDurationsAreNotPositiveThenStartupFailsNamingThem() {
		this.contextRunner.withPropertyValues(validProperties())
			.withPropertyValues("aep.streaming.response-timeout=0s", "aep.streaming.ims.refresh-before-expiry=-1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(findCause(context.getStartupFailure()).getProblems())
					.anyMatch((problem) -> problem.startsWith("aep.streaming.response-timeout"))
					.anyMatch((problem) -> problem.startsWith("aep.streaming.ims.refresh-before-expiry"));
			});
	}

	@Test
	void whenDeliverySettingsAreOutOfRangeThenStartupFailsNamingEachOfThem() {
		this.contextRunner.withPropertyValues(validProperties())
			.withPropertyValues("aep.streaming.max-in-flight=0", "aep.streaming.retry.max-attempts=0",
					"aep.streaming.retry.initial-backoff=2s", "aep.streaming.retry.max-backoff=1s",
					"aep.streaming.circuit-breaker.failure-rate-threshold=120", "aep.streaming.batch.max-bytes=2MB",
					"aep.streaming.buffer.capacity=0", "aep.streaming.shutdown.timeout=-1s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(findCause(context.getStartupFailure()).getProblems())
					.anyMatch((problem) -> problem.startsWith("aep.streaming.max-in-flight must be at least 1"))
					.anyMatch((problem) -> problem.startsWith("aep.streaming.retry.max-attempts"))
					.anyMatch((problem) -> problem.startsWith("aep.streaming.retry.max-backoff must not be shorter"))
					.anyMatch((problem) -> problem.startsWith("aep.streaming.circuit-breaker.failure-rate-threshold"))
					.anyMatch((problem) -> problem.startsWith("aep.streaming.batch.max-bytes"))
					.anyMatch((problem) -> problem.startsWith("aep.streaming.buffer.capacity"))
					.anyMatch((problem) -> problem.startsWith("aep.streaming.shutdown.timeout"));
			});
	}

	@Test
	void whenStartupFailsThenTheSecretIsNotInTheMessage() {
		this.contextRunner.withPropertyValues("aep.streaming.ims.client-secret=" + SECRET).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("aep.streaming.ims.client-id");
			assertThat(stackTraceOf(context.getStartupFailure())).doesNotContain(SECRET);
		});
	}

	@Test
	void whenUserDefinesTemplatesThenTheAutoConfiguredOnesBackOff() {
		this.contextRunner.withPropertyValues(validProperties())
			.withUserConfiguration(UserTemplatesConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(StreamingOperations.class)
					.hasSingleBean(ReactiveStreamingOperations.class);
				assertThat(context.getBean(StreamingOperations.class))
					.isSameAs(context.getBean(UserTemplatesConfiguration.class).operations);
			});
	}

	@Test
	void whenUserDefinesConnectionDetailsThenTheyAreUsedInsteadOfProperties() {
		this.contextRunner.withBean(AepStreamingConnectionDetails.class, () -> new FixedConnectionDetails(baseUrl()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{}"));
				assertThat(this.requests).extracting(RecordedRequest::getPath)
					.containsExactly("/ims/token/v3", "/collection/details-conn");
			});
	}

	@Test
	void whenUserConnectionDetailsLackASecretThenStartupFailsNamingTheirMethodRatherThanTheProperty() {
		this.contextRunner.withBean(AepStreamingConnectionDetails.class, () -> new FixedConnectionDetails(baseUrl()) {

			@Override
			public String getClientSecret() {
				return " ";
			}

		}).run((context) -> {
			assertThat(context).hasFailed();
			InvalidAepStreamingConfigurationException failure = findCause(context.getStartupFailure());
			assertThat(failure.getProblems()).singleElement()
				.asString()
				.startsWith("getClientSecret() of the AepStreamingConnectionDetails bean")
				.contains(AepStreamingAutoConfigurationTests.class.getName())
				.contains("used instead of aep.streaming.ims.client-secret");
		});
	}

	@Test
	void whenTokenManagerCustomizersAreDefinedThenTheyAreApplied() {
		this.contextRunner.withPropertyValues(validProperties())
			.withBean(RecordingCustomizer.class)
			.run((context) -> assertThat(context.getBean(RecordingCustomizer.class).customized)
				.containsExactly(context.getBean(ImsTokenManager.class)));
	}

	@Test
	void whenTheApplicationHasItsOwnAuthorizedClientManagerThenItStaysTheOneInjectedByType() {
		this.contextRunner.withPropertyValues(validProperties())
			.withUserConfiguration(ApplicationOAuth2Configuration.class)
			.run((context) -> {
				assertThat(context.getBean(ReactiveOAuth2AuthorizedClientManager.class))
					.isSameAs(ApplicationOAuth2Configuration.MANAGER);
				assertThat(context.getBean(ReactiveOAuth2AuthorizedClientService.class))
					.isSameAs(ApplicationOAuth2Configuration.SERVICE);
				assertThat(context).hasSingleBean(ImsTokenManager.class);
			});
	}

	@Test
	void whenTheContextClosesThenTheTokenManagerIsClosed() {
		this.contextRunner.withPropertyValues(validProperties()).run((context) -> {
			ImsTokenManager manager = context.getBean(ImsTokenManager.class);
			context.close();
			assertThat(manager).extracting("closed").isEqualTo(true);
		});
	}

	private String[] validProperties() {
		return new String[] { "aep.streaming.base-url=" + baseUrl(), "aep.streaming.connection-id=conn-1",
				"aep.streaming.flow-id=flow-1", "aep.streaming.sandbox-name=dev",
				"aep.streaming.ims.token-uri=" + baseUrl() + "/ims/token/v3", "aep.streaming.ims.client-id=client-1",
				"aep.streaming.ims.client-secret=" + SECRET, "aep.streaming.ims.org-id=ORG1@AdobeOrg",
				"aep.streaming.xdm.schema-id=https://ns.adobe.com/tenant/schemas/1",
				"aep.streaming.xdm.dataset-id=dataset-1" };
	}

	private String baseUrl() {
		return "http://localhost:" + this.server.getPort();
	}

	private static InvalidAepStreamingConfigurationException findCause(Throwable failure) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof InvalidAepStreamingConfigurationException invalid) {
				return invalid;
			}
		}
		throw new AssertionError("No InvalidAepStreamingConfigurationException in " + failure);
	}

	private static String stackTraceOf(Throwable failure) {
		StringWriter writer = new StringWriter();
		failure.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

	private static MockResponse json(String body) {
		return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTemplatesConfiguration {

		final StreamingTemplate operations = new StreamingTemplate(new NoopReactiveOperations());

		@Bean
		StreamingTemplate userStreamingTemplate() {
			return this.operations;
		}

		@Bean
		ReactiveStreamingOperations userReactiveStreamingOperations() {
			return new NoopReactiveOperations();
		}

	}

	static class NoopReactiveOperations implements ReactiveStreamingOperations {

		@Override
		public Mono<StreamingResult> send(Object xdmEntity) {
			return Mono.empty();
		}

		@Override
		public Mono<StreamingResult> send(StreamingMessage message) {
			return Mono.empty();
		}

		@Override
		public Mono<BatchResult> sendBatch(List<?> messages) {
			return Mono.empty();
		}

	}

	static class FixedConnectionDetails implements AepStreamingConnectionDetails {

		private final String baseUrl;

		FixedConnectionDetails(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		@Override
		public String getBaseUrl() {
			return this.baseUrl;
		}

		@Override
		public String getConnectionId() {
			return "details-conn";
		}

		@Override
		public String getTokenUri() {
			return this.baseUrl + "/ims/token/v3";
		}

		@Override
		public String getClientId() {
			return "details-client";
		}

		@Override
		public String getClientSecret() {
			return "details-secret";
		}

		@Override
		public String getOrgId() {
			return "DETAILS@AdobeOrg";
		}

		@Override
		public List<String> getScopes() {
			return List.of("openid");
		}

	}

	static class RecordingCustomizer implements ImsTokenManagerCustomizer {

		final List<ImsTokenManager> customized = new CopyOnWriteArrayList<>();

		@Override
		public void customize(ImsTokenManager tokenManager) {
			tokenManager.setRefreshBeforeExpiry(Duration.ofSeconds(42));
			this.customized.add(tokenManager);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationOAuth2Configuration {

		static final ReactiveOAuth2AuthorizedClientService SERVICE = new InMemoryReactiveOAuth2AuthorizedClientService(
				new InMemoryReactiveClientRegistrationRepository(ClientRegistration.withRegistrationId("app")
					.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
					.clientId("app")
					.tokenUri("http://localhost/token")
					.build()));

		static final ReactiveOAuth2AuthorizedClientManager MANAGER = (request) -> Mono.empty();

		@Bean
		ReactiveOAuth2AuthorizedClientManager applicationAuthorizedClientManager() {
			return MANAGER;
		}

		@Bean
		ReactiveOAuth2AuthorizedClientService applicationAuthorizedClientService() {
			return SERVICE;
		}

	}

}
