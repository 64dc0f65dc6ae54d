package dev.aepstreaming.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.StreamingOperations;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.delivery.DeadLetterHandler;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.delivery.LoggingDeadLetterHandler;
import dev.aepstreaming.delivery.ResilientExchange;
import dev.aepstreaming.http.ImsBearerExchangeFilterFunction;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.ims.AuthorizedClientManagerTokenFetcher;
import dev.aepstreaming.ims.ImsOAuth2Clients;
import dev.aepstreaming.ims.ImsTokenManager;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import dev.aepstreaming.xdm.XdmEnvelopeSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration for streaming events to Adobe Experience Platform with a managed IMS
 * access token.
 * <p>
 * The Spring Security beans registered here carry names of their own and are not default
 * autowire candidates, and no {@code ReactiveClientRegistrationRepository} bean is
 * registered, so the application's own {@code spring.security.oauth2.client}
 * registrations, repositories and managers stay exactly as they were.
 *
 * @author aep-streaming
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration" })
@ConditionalOnClass({ WebClient.class, ReactiveOAuth2AuthorizedClientManager.class, JsonMapper.class,
		HttpClient.class })
@ConditionalOnBooleanProperty(name = "aep.streaming.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AepStreamingProperties.class)
public final class AepStreamingAutoConfiguration {

	/**
	 * The id of the IMS client registration.
	 */
	public static final String REGISTRATION_ID = "aep-streaming-ims";

	/**
	 * The principal name under which the IMS authorized client is stored.
	 */
	public static final String PRINCIPAL_NAME = "aep-streaming";

	/**
	 * The name of the authorized client manager bean.
	 */
	public static final String AUTHORIZED_CLIENT_MANAGER_BEAN_NAME = "aepStreamingAuthorizedClientManager";

	/**
	 * The name of the authorized client service bean.
	 */
	public static final String AUTHORIZED_CLIENT_SERVICE_BEAN_NAME = "aepStreamingAuthorizedClientService";

	@Bean
	@ConditionalOnMissingBean(AepStreamingConnectionDetails.class)
	PropertiesAepStreamingConnectionDetails aepStreamingConnectionDetails(AepStreamingProperties properties) {
		return new PropertiesAepStreamingConnectionDetails(properties);
	}

	@Bean
	AepStreamingHttpResources aepStreamingHttpResources(AepStreamingProperties properties) {
		return new AepStreamingHttpResources(Math.max(1, properties.getMaxInFlight()));
	}

	@Bean
	@ConditionalOnMissingBean
	StreamingHttpClient aepStreamingHttpClient(AepStreamingProperties properties,
			AepStreamingConnectionDetails connectionDetails, AepStreamingHttpResources httpResources,
			ObjectProvider<ImsTokenManager> tokenManager, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<StreamingWebClientCustomizer> customizers) {
		AepStreamingConfigurationValidator.validate(properties, connectionDetails);
		WebClient.Builder builder = webClientBuilder.getIfAvailable(WebClient::builder)
			.baseUrl(connectionDetails.getBaseUrl())
			.clientConnector(connector(HttpClient.create(httpResources.getConnectionProvider()),
					properties.getConnectTimeout(), properties.getResponseTimeout()));
		if (properties.isAuthenticated()) {
			builder.filter(new ImsBearerExchangeFilterFunction(tokenManager.getObject(),
					connectionDetails.getClientId(), connectionDetails.getOrgId()));
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return new StreamingHttpClient(builder.build(), jsonMapper.getIfUnique(JsonMapper::new),
				connectionDetails.getConnectionId(), properties.getSandboxName(), properties.getFlowId(),
				Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterHandler aepStreamingDeadLetterHandler() {
		return new LoggingDeadLetterHandler();
	}

	@Bean
	@ConditionalOnMissingBean
	DeliveryEngine aepStreamingDeliveryEngine(AepStreamingProperties properties, StreamingHttpClient httpClient,
			DeadLetterHandler deadLetterHandler, ObjectProvider<RetryRegistry> retryRegistry,
			ObjectProvider<CircuitBreakerRegistry> circuitBreakerRegistry,
			ObjectProvider<RateLimiterRegistry> rateLimiterRegistry,
			ObjectProvider<AepStreamingResilienceCustomizer> customizers, Environment environment,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		ResilientExchange exchange = new AepStreamingResilience(properties, httpClient.getConnectionId(),
				customizers.orderedStream().toList())
			.exchange(retryRegistry.getIfAvailable(RetryRegistry::ofDefaults),
					circuitBreakerRegistry.getIfAvailable(CircuitBreakerRegistry::ofDefaults),
					rateLimiterRegistry.getIfAvailable(RateLimiterRegistry::ofDefaults));
		AepStreamingProperties.Batch batch = properties.getBatch();
		DeliveryEngine.Batching batching = batch.isEnabled() ? new DeliveryEngine.Batching(batch.getMaxMessages(),
				(int) batch.getMaxBytes().toBytes(), batch.getLinger(), batch.getMaxConcurrentRequests()) : null;
		AepStreamingProperties.Buffer buffer = properties.getBuffer();
		DeliveryEngine engine = new DeliveryEngine(httpClient, exchange, deadLetterHandler, buffer.getCapacity(),
				buffer.getMaxWait(), batching);
		engine.setObservationRegistry(observationRegistry(environment, observationRegistry));
		return engine;
	}

	@Bean
	@ConditionalOnMissingBean(ReactiveStreamingOperations.class)
	ReactiveStreamingTemplate reactiveStreamingTemplate(AepStreamingProperties properties,
			AepStreamingConnectionDetails connectionDetails, DeliveryEngine deliveryEngine,
			ObjectProvider<JsonMapper> jsonMapper) {
		AepStreamingProperties.Xdm xdm = properties.getXdm();
		XdmEnvelopeSettings envelope = new XdmEnvelopeSettings(xdm.getSchemaId(), xdm.getSchemaContentType(),
				connectionDetails.getOrgId(), xdm.getDatasetId(), properties.getFlowId(), xdm.getSourceName());
		return new ReactiveStreamingTemplate(deliveryEngine,
				new StreamingMessageWriter(jsonMapper.getIfUnique(JsonMapper::new), envelope),
				properties.isSyncValidation());
	}

	@Bean
	@ConditionalOnMissingBean(StreamingOperations.class)
	StreamingTemplate streamingTemplate(ReactiveStreamingOperations reactiveStreamingOperations) {
		return new StreamingTemplate(reactiveStreamingOperations);
	}

	@Bean
	@ConditionalOnMissingBean
	AepStreamingConnections aepStreamingConnections(AepStreamingConnectionDetails connectionDetails,
			DeliveryEngine deliveryEngine, ObjectProvider<ImsTokenManager> tokenManager,
			StreamingOperations streamingOperations, ReactiveStreamingOperations reactiveStreamingOperations) {
		return new AepStreamingConnections(List.of(new AepStreamingConnections.Connection(
				StreamingTemplates.DEFAULT_CONNECTION, connectionDetails.getConnectionId(), deliveryEngine,
				tokenManager.getIfUnique(), streamingOperations, reactiveStreamingOperations)));
	}

	@Bean
	AepStreamingDeliveryLifecycle aepStreamingDeliveryLifecycle(AepStreamingConnections connections,
			AepStreamingProperties properties) {
		return new AepStreamingDeliveryLifecycle(connections, properties.getShutdown().getTimeout());
	}

	/**
	 * Return the registry that deliveries and token requests are observed with: the
	 * application's unless {@code aep.streaming.observations.enabled} is {@code false}.
	 * Micrometer Observation is a dependency of Spring Framework itself, so the class is
	 * always present.
	 */
	static ObservationRegistry observationRegistry(Environment environment,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		if (!environment.getProperty("aep.streaming.observations.enabled", Boolean.class, true)) {
			return ObservationRegistry.NOOP;
		}
		return observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP);
	}

	static ReactorClientHttpConnector connector(HttpClient httpClient, Duration connectTimeout,
			Duration responseTimeout) {
		return new ReactorClientHttpConnector(httpClient
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
			.responseTimeout(responseTimeout));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "aep.streaming.authenticated", matchIfMissing = true)
	static class ImsTokenConfiguration {

		@Bean(name = AUTHORIZED_CLIENT_SERVICE_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = AUTHORIZED_CLIENT_SERVICE_BEAN_NAME)
		ReactiveOAuth2AuthorizedClientService aepStreamingAuthorizedClientService(AepStreamingProperties properties,
				AepStreamingConnectionDetails connectionDetails) {
			AepStreamingConfigurationValidator.validate(properties, connectionDetails);
			return new InMemoryReactiveOAuth2AuthorizedClientService(registrations(connectionDetails));
		}

		@Bean(name = AUTHORIZED_CLIENT_MANAGER_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)
		ReactiveOAuth2AuthorizedClientManager aepStreamingAuthorizedClientManager(AepStreamingProperties properties,
				AepStreamingConnectionDetails connectionDetails,
				@Qualifier(AUTHORIZED_CLIENT_SERVICE_BEAN_NAME) ReactiveOAuth2AuthorizedClientService authorizedClientService,
				ObjectProvider<WebClient.Builder> webClientBuilder) {
			WebClient imsClient = webClientBuilder.getIfAvailable(WebClient::builder)
				.clientConnector(connector(HttpClient.create(), properties.getConnectTimeout(),
						properties.getIms().getTokenRequestTimeout()))
				.build();
			return ImsOAuth2Clients.authorizedClientManager(registrations(connectionDetails), authorizedClientService,
					ImsOAuth2Clients.tokenResponseClient(imsClient, connectionDetails.getClientSecret()));
		}

		@Bean
		@ConditionalOnMissingBean
		ImsTokenManager aepStreamingImsTokenManager(AepStreamingProperties properties,
				AepStreamingConnectionDetails connectionDetails,
				@Qualifier(AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ReactiveOAuth2AuthorizedClientManager authorizedClientManager,
				@Qualifier(AUTHORIZED_CLIENT_SERVICE_BEAN_NAME) ReactiveOAuth2AuthorizedClientService authorizedClientService,
				ObjectProvider<ImsTokenManagerCustomizer> customizers, Environment environment,
				ObjectProvider<ObservationRegistry> observationRegistry) {
			AuthorizedClientManagerTokenFetcher fetcher = new AuthorizedClientManagerTokenFetcher(
					authorizedClientManager, authorizedClientService, REGISTRATION_ID, PRINCIPAL_NAME);
			ImsTokenManager tokenManager = new ImsTokenManager(fetcher, connectionDetails.getClientId(),
					connectionDetails.getTokenUri());
			AepStreamingProperties.Ims ims = properties.getIms();
			tokenManager.setRefreshBeforeExpiry(ims.getRefreshBeforeExpiry());
			tokenManager.setTokenRequestTimeout(ims.getTokenRequestTimeout());
			tokenManager.setInitialRetryBackoff(ims.getInitialRetryBackoff());
			tokenManager.setMaxRetryBackoff(ims.getMaxRetryBackoff());
			tokenManager.setMinReauthenticationInterval(ims.getMinReauthenticationInterval());
			tokenManager.setObservationRegistry(observationRegistry(environment, observationRegistry));
			customizers.orderedStream().forEach((customizer) -> customizer.customize(tokenManager));
			return tokenManager;
		}

		private static InMemoryReactiveClientRegistrationRepository registrations(
				AepStreamingConnectionDetails connectionDetails) {
			return new InMemoryReactiveClientRegistrationRepository(ImsOAuth2Clients.clientRegistration(REGISTRATION_ID,
					connectionDetails.getTokenUri(), connectionDetails.getClientId(), connectionDetails.getScopes()));
		}

	}

}
