package dev.aepstreaming.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingOperations;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.delivery.DeadLetter;
import dev.aepstreaming.delivery.DeadLetterHandler;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.delivery.LoggingDeadLetterHandler;
import dev.aepstreaming.delivery.RecordingDeadLetterHandler;
import dev.aepstreaming.delivery.ResilientExchange;
import dev.aepstreaming.http.ImsBearerExchangeFilterFunction;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.ims.ImsOAuth2Clients;
import dev.aepstreaming.ims.ImsTokenManager;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.web.reactive.function.client.WebClient;

import static dev.aepstreaming.AepTestServers.CLIENT_ID;
import static dev.aepstreaming.AepTestServers.CONNECTION_ID;
import static dev.aepstreaming.AepTestServers.ORG_ID;
import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests that {@link AepStreamingAutoConfiguration} backs off without its required classes
 * and that every bean an application may replace is replaced by the application's own,
 * which is then the one streaming goes through, against IMS and streaming servers on
 * loopback.
 *
 * @author aep-streaming
 */
class AepStreamingAutoConfigurationBackOffTests {

	private static final String USER_TOKEN = "user-issued-token";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepStreamingAutoConfiguration.class));

	private AepTestServers servers;

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
	}

	@AfterEach
	void stopServers() {
		this.servers.close();
	}

	@Test
	void streamingIsConfiguredWhenEveryRequiredClassIsPresent() {
		configured().run((context) -> {
			assertThat(context).hasSingleBean(StreamingTemplates.class);
			context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{\"id\":1}"));
			assertThat(this.servers.streaming().onlyRequest().getPath()).isEqualTo("/collection/" + CONNECTION_ID);
		});
	}

	@ParameterizedTest
	@ValueSource(classes = { WebClient.class, ReactiveOAuth2AuthorizedClientManager.class, JsonMapper.class,
			HttpClient.class })
	void streamingBacksOffWhenARequiredClassIsMissing(Class<?> requiredClass) {
		configured().withClassLoader(new FilteredClassLoader(requiredClass))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(AepStreamingProperties.class)
				.doesNotHaveBean(StreamingTemplates.class)
				.doesNotHaveBean(DeliveryEngine.class));
	}

	@Test
	void streamingHttpClientOfTheUserIsTheOneTheDefaultConnectionSendsWith() {
		configured().withUserConfiguration(UserHttpClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(StreamingHttpClient.class);
			context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{\"id\":1}"));
			RecordedRequest request = this.servers.streaming().onlyRequest();
			assertThat(request.getHeader("x-user-client")).isEqualTo("yes");
			assertThat(request.getHeader(StreamingHttpClient.SANDBOX_HEADER)).isEqualTo("user-sandbox");
			assertThat(AepTestServers.bearerToken(request)).isEqualTo(AepTestServers.token(1));
		});
	}

	@Test
	void deadLetterHandlerOfTheUserReceivesWhatEveryConnectionFailsToDeliver() {
		configured().withBean(RecordingDeadLetterHandler.class)
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders")
			.run((context) -> {
				assertThat(context).hasSingleBean(DeadLetterHandler.class)
					.doesNotHaveBean(LoggingDeadLetterHandler.class);
				this.servers.streaming()
					.respond((request) -> AepTestServers.json(400, "{\"title\":\"Invalid XDM Message Format\"}"));
				StreamingTemplates templates = context.getBean(StreamingTemplates.class);
				for (String name : List.of(StreamingTemplates.DEFAULT_CONNECTION, "orders")) {
					assertThatExceptionOfType(StreamingValidationException.class)
						.isThrownBy(() -> templates.get(name).send(StreamingMessage.raw("{\"id\":1}")));
				}
				RecordingDeadLetterHandler deadLetters = context.getBean(RecordingDeadLetterHandler.class);
				await().atMost(TIMEOUT).until(() -> deadLetters.letters().size() == 2);
				assertThat(deadLetters.letters()).extracting(DeadLetter::connectionId)
					.containsExactlyInAnyOrder(CONNECTION_ID, "inlet-orders");
			});
	}

	@Test
	void deliveryEngineOfTheUserIsTheOneBehindTheTemplatesAndIsShutDownWithTheContext() {
		configured().withUserConfiguration(UserDeliveryEngineConfiguration.class).run((context) -> {
			DeliveryEngine engine = context.getBean(UserDeliveryEngineConfiguration.class).engine;
			assertThat(context).hasSingleBean(DeliveryEngine.class);
			assertThat(context.getBean(ReactiveStreamingTemplate.class).getDeliveryEngine()).isSameAs(engine);
			assertThat(context.getBean(AepStreamingConnections.class)
				.getConnection(StreamingTemplates.DEFAULT_CONNECTION)
				.deliveryEngine()).isSameAs(engine);
			context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{\"id\":1}"));
			assertThat(engine.getLastAcknowledged()).isNotNull();
			context.close();
			assertThat(engine.isAccepting()).isFalse();
		});
	}

	@Test
	void streamingOperationsOfTheUserAloneLeaveTheReactiveTemplateAutoConfigured() {
		configured().withUserConfiguration(UserStreamingOperationsConfiguration.class).run((context) -> {
			StreamingOperations operations = context.getBean("userStreamingOperations", StreamingOperations.class);
			assertThat(context).hasSingleBean(StreamingOperations.class).hasSingleBean(ReactiveStreamingTemplate.class);
			StreamingTemplates templates = context.getBean(StreamingTemplates.class);
			assertThat(templates.get(StreamingTemplates.DEFAULT_CONNECTION)).isSameAs(operations);
			assertThat(templates.getReactive(StreamingTemplates.DEFAULT_CONNECTION))
				.isSameAs(context.getBean(ReactiveStreamingTemplate.class));
			operations.send(StreamingMessage.raw("{\"id\":1}"));
			assertThat(this.servers.streaming().onlyRequest().getPath()).isEqualTo("/collection/" + CONNECTION_ID);
		});
	}

	@Test
	void reactiveStreamingOperationsOfTheUserAloneAreWhatTheAutoConfiguredTemplateSendsThrough() {
		configured().withUserConfiguration(UserReactiveStreamingOperationsConfiguration.class).run((context) -> {
			ReactiveStreamingOperations reactive = context.getBean("userReactiveStreamingOperations",
					ReactiveStreamingOperations.class);
			assertThat(context).hasSingleBean(ReactiveStreamingOperations.class).hasSingleBean(StreamingTemplate.class);
			assertThat(context.getBean(StreamingTemplate.class).reactive()).isSameAs(reactive);
			context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1"));
			assertThat(
					AepTestServers.bodyJson(this.servers.streaming().onlyRequest()).at("/header/datasetId").asString())
				.isEqualTo(AepTestServers.DATASET_ID);
		});
	}

	@Test
	void connectionsOfTheUserReplaceThoseOfThePropertiesAndAreShutDownWithTheContext() {
		configured().withUserConfiguration(UserConnectionsConfiguration.class)
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders")
			.run((context) -> {
				AepStreamingConnections connections = context.getBean("userConnections", AepStreamingConnections.class);
				assertThat(context).hasSingleBean(AepStreamingConnections.class);
				assertThat(context.getBean(StreamingTemplates.class)).isSameAs(connections);
				assertThat(connections.getNames()).containsExactly(StreamingTemplates.DEFAULT_CONNECTION);
				DeliveryEngine engine = context.getBean(DeliveryEngine.class);
				context.close();
				assertThat(engine.isAccepting()).isFalse();
			});
	}

	@Test
	void tokenManagerOfTheUserAuthenticatesEveryConnectionWithoutACredentialOfItsOwn() {
		configured().withUserConfiguration(UserTokenManagerConfiguration.class)
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders")
			.run((context) -> {
				ImsTokenManager tokenManager = context.getBean("userImsTokenManager", ImsTokenManager.class);
				assertThat(context).hasSingleBean(ImsTokenManager.class);
				AepStreamingConnections connections = context.getBean(AepStreamingConnections.class);
				assertThat(connections.getTokenManagers()).containsExactly(tokenManager);
				connections.getNames().forEach((name) -> connections.get(name).send(StreamingMessage.raw("{}")));
				assertThat(this.servers.streaming().requests()).hasSize(2)
					.extracting(AepTestServers::bearerToken)
					.containsOnly(USER_TOKEN);
				assertThat(this.servers.ims().requestCount()).isZero();
			});
	}

	@Test
	void authorizedClientManagerOfTheUserNamedLikeOursIsTheOneTokensAreObtainedFrom() {
		configured().withUserConfiguration(UserAuthorizedClientManagerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(ReactiveOAuth2AuthorizedClientManager.class);
			assertThat(context.getBean(AepStreamingAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME))
				.isSameAs(context.getBean(UserAuthorizedClientManagerConfiguration.class).manager);
			context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{}"));
			assertThat(AepTestServers.bearerToken(this.servers.streaming().onlyRequest())).isEqualTo(USER_TOKEN);
			assertThat(this.servers.ims().requestCount()).isZero();
		});
	}

	@Test
	void authorizedClientServiceOfTheUserNamedLikeOursIsTheOneTokensAreStoredIn() {
		configured().withUserConfiguration(UserAuthorizedClientServiceConfiguration.class).run((context) -> {
			ReactiveOAuth2AuthorizedClientService service = context
				.getBean(UserAuthorizedClientServiceConfiguration.class).service;
			assertThat(context).hasSingleBean(ReactiveOAuth2AuthorizedClientService.class);
			context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{}"));
			OAuth2AuthorizedClient stored = service
				.loadAuthorizedClient(AepStreamingAutoConfiguration.REGISTRATION_ID,
						AepStreamingAutoConfiguration.PRINCIPAL_NAME)
				.block(TIMEOUT);
			assertThat(stored).isNotNull();
			assertThat(stored.getAccessToken().getTokenValue())
				.isEqualTo(AepTestServers.bearerToken(this.servers.streaming().onlyRequest()));
		});
	}

	@Test
	void unauthenticatedStreamingRegistersNoTokenManagerAndNoAuthorizedClientBeans() {
		this.contextRunner
			.withPropertyValues("aep.streaming.authenticated=false",
					"aep.streaming.base-url=" + this.servers.streaming().baseUrl(),
					"aep.streaming.connection-id=" + CONNECTION_ID)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ImsTokenManager.class)
					.doesNotHaveBean(AepStreamingAutoConfiguration.AUTHORIZED_CLIENT_SERVICE_BEAN_NAME)
					.doesNotHaveBean(AepStreamingAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)
					.doesNotHaveBean(ReactiveOAuth2AuthorizedClientService.class)
					.doesNotHaveBean(ReactiveOAuth2AuthorizedClientManager.class);
				assertThat(context.getBean(AepStreamingConnections.class).getTokenManagers()).isEmpty();
				context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{}"));
				assertThat(this.servers.streaming().onlyRequest().getHeader("Authorization")).isNull();
				assertThat(this.servers.ims().requestCount()).isZero();
			});
	}

	private ApplicationContextRunner configured() {
		return this.contextRunner.withPropertyValues("aep.streaming.base-url=" + this.servers.streaming().baseUrl(),
				"aep.streaming.connection-id=" + CONNECTION_ID, "aep.streaming.flow-id=" + AepTestServers.FLOW_ID,
				"aep.streaming.ims.token-uri=" + this.servers.ims().url(AepTestServers.TOKEN_PATH),
				"aep.streaming.ims.client-id=" + CLIENT_ID,
				"aep.streaming.ims.client-secret=" + AepTestServers.CLIENT_SECRET,
				"aep.streaming.ims.org-id=" + ORG_ID);
	}

	private static OAuth2AccessToken userToken() {
		Instant now = Instant.now();
		return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, USER_TOKEN, now,
				now.plus(Duration.ofHours(1)));
	}

	private static ClientRegistration imsRegistration(AepStreamingProperties properties) {
		return ImsOAuth2Clients.clientRegistration(AepStreamingAutoConfiguration.REGISTRATION_ID,
				properties.getIms().getTokenUri(), CLIENT_ID, properties.getIms().getScopes());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserHttpClientConfiguration {

		@Bean
		StreamingHttpClient userStreamingHttpClient(AepStreamingProperties properties, ImsTokenManager tokenManager) {
			WebClient webClient = WebClient.builder()
				.baseUrl(properties.getBaseUrl())
				.defaultHeader("x-user-client", "yes")
				.filter(new ImsBearerExchangeFilterFunction(tokenManager, CLIENT_ID, ORG_ID))
				.build();
			return new StreamingHttpClient(webClient, AepTestServers.jsonMapper(), CONNECTION_ID, "user-sandbox", null,
					Clock.systemUTC());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDeliveryEngineConfiguration {

		DeliveryEngine engine;

		@Bean
		DeliveryEngine userDeliveryEngine(StreamingHttpClient client) {
			ResilientExchange exchange = new ResilientExchange(CONNECTION_ID, null, null, null, 4,
					Duration.ofSeconds(10), Clock.systemUTC());
			this.engine = new DeliveryEngine(client, exchange, new LoggingDeadLetterHandler(), 16,
					Duration.ofSeconds(1), null);
			return this.engine;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserStreamingOperationsConfiguration {

		@Bean
		StreamingOperations userStreamingOperations(ReactiveStreamingOperations reactive) {
			return new StreamingTemplate(reactive);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserReactiveStreamingOperationsConfiguration {

		@Bean
		ReactiveStreamingOperations userReactiveStreamingOperations(DeliveryEngine engine) {
			return new ReactiveStreamingTemplate(engine, AepTestServers.writer(AepTestServers.envelopeSettings()),
					false);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionsConfiguration {

		@Bean
		AepStreamingConnections userConnections(DeliveryEngine engine, ImsTokenManager tokenManager,
				StreamingOperations template, ReactiveStreamingOperations reactiveTemplate) {
			return new AepStreamingConnections(
					List.of(new AepStreamingConnections.Connection(StreamingTemplates.DEFAULT_CONNECTION, CONNECTION_ID,
							engine, tokenManager, template, reactiveTemplate)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTokenManagerConfiguration {

		@Bean
		ImsTokenManager userImsTokenManager() {
			return new ImsTokenManager(() -> Mono.fromSupplier(AepStreamingAutoConfigurationBackOffTests::userToken),
					CLIENT_ID, "https://ims.example.com/ims/token/v3");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAuthorizedClientManagerConfiguration {

		ReactiveOAuth2AuthorizedClientManager manager;

		@Bean(AepStreamingAutoConfiguration.AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)
		ReactiveOAuth2AuthorizedClientManager userAuthorizedClientManager(AepStreamingProperties properties) {
			ClientRegistration registration = imsRegistration(properties);
			this.manager = (request) -> Mono.fromSupplier(
					() -> new OAuth2AuthorizedClient(registration, request.getPrincipal().getName(), userToken()));
			return this.manager;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAuthorizedClientServiceConfiguration {

		ReactiveOAuth2AuthorizedClientService service;

		@Bean(AepStreamingAutoConfiguration.AUTHORIZED_CLIENT_SERVICE_BEAN_NAME)
		ReactiveOAuth2AuthorizedClientService userAuthorizedClientService(AepStreamingProperties properties) {
			this.service = new InMemoryReactiveOAuth2AuthorizedClientService(
					new InMemoryReactiveClientRegistrationRepository(imsRegistration(properties)));
			return this.service;
		}

	}

}
