package dev.aepstreaming.autoconfigure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.StreamingOperations;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.autoconfigure.StreamingConnectionSettings.ImsCredential;
import dev.aepstreaming.delivery.DeadLetterHandler;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.delivery.LoggingDeadLetterHandler;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.ims.ImsTokenManager;
import dev.aepstreaming.observation.ImsTokenRequestObservationConvention;
import dev.aepstreaming.observation.StreamingSendObservationConvention;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.observation.ObservationRegistry;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
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
	AepStreamingHttpResources aepStreamingHttpResources(AepStreamingProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		// Reactor Netty pools connections per remote address, and all connections usually
		// share one endpoint, so the pool holds room for every connection's requests
		int connections = 1 + properties.getConnections().size();
		return new AepStreamingHttpResources(properties, Math.max(1, properties.getMaxInFlight()) * connections,
				sslBundles.getIfAvailable());
	}

	@Bean
	AepStreamingConnectionFactory aepStreamingConnectionFactory(AepStreamingProperties properties,
			AepStreamingHttpResources httpResources, DeadLetterHandler deadLetterHandler,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<StreamingWebClientCustomizer> webClientCustomizers,
			ObjectProvider<AepStreamingResilienceCustomizer> resilienceCustomizers,
			ObjectProvider<ImsTokenManagerCustomizer> tokenManagerCustomizers,
			ObjectProvider<RetryRegistry> retryRegistry, ObjectProvider<CircuitBreakerRegistry> circuitBreakerRegistry,
			ObjectProvider<RateLimiterRegistry> rateLimiterRegistry,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<StreamingSendObservationConvention> sendObservationConvention,
			ObjectProvider<ImsTokenRequestObservationConvention> tokenRequestObservationConvention) {
		return new AepStreamingConnectionFactory(properties, jsonMapper.getIfUnique(JsonMapper::new),
				() -> webClientBuilder.getIfAvailable(WebClient::builder), httpResources, deadLetterHandler,
				new AepStreamingConnectionFactory.Customizers(webClientCustomizers.orderedStream().toList(),
						resilienceCustomizers.orderedStream().toList(),
						tokenManagerCustomizers.orderedStream().toList()),
				new AepStreamingConnectionFactory.Registries(retryRegistry.getIfAvailable(RetryRegistry::ofDefaults),
						circuitBreakerRegistry.getIfAvailable(CircuitBreakerRegistry::ofDefaults),
						rateLimiterRegistry.getIfAvailable(RateLimiterRegistry::ofDefaults)),
				observations(properties, observationRegistry, sendObservationConvention,
						tokenRequestObservationConvention));
	}

	@Bean
	@ConditionalOnMissingBean
	StreamingHttpClient aepStreamingHttpClient(AepStreamingProperties properties,
			AepStreamingConnectionDetails connectionDetails, AepStreamingConnectionFactory connectionFactory,
			ObjectProvider<ImsTokenManager> tokenManager) {
		AepStreamingConfigurationValidator.validate(properties, connectionDetails);
		return connectionFactory.httpClient(StreamingConnectionSettings.ofDefault(properties, connectionDetails),
				properties.isAuthenticated() ? tokenManager.getObject() : null);
	}

	@Bean
	@ConditionalOnMissingBean
	DeadLetterHandler aepStreamingDeadLetterHandler() {
		return new LoggingDeadLetterHandler();
	}

	@Bean
	@ConditionalOnMissingBean
	DeliveryEngine aepStreamingDeliveryEngine(AepStreamingProperties properties,
			AepStreamingConnectionDetails connectionDetails, AepStreamingConnectionFactory connectionFactory,
			StreamingHttpClient httpClient) {
		return connectionFactory.deliveryEngine(StreamingConnectionSettings.ofDefault(properties, connectionDetails),
				httpClient);
	}

	@Bean
	@ConditionalOnMissingBean(ReactiveStreamingOperations.class)
	ReactiveStreamingTemplate reactiveStreamingTemplate(AepStreamingProperties properties,
			AepStreamingConnectionDetails connectionDetails, AepStreamingConnectionFactory connectionFactory,
			DeliveryEngine deliveryEngine) {
		return connectionFactory.reactiveTemplate(StreamingConnectionSettings.ofDefault(properties, connectionDetails),
				deliveryEngine);
	}

	@Bean
	@ConditionalOnMissingBean(StreamingOperations.class)
	StreamingTemplate streamingTemplate(ReactiveStreamingOperations reactiveStreamingOperations) {
		return new StreamingTemplate(reactiveStreamingOperations);
	}

	@Bean
	@ConditionalOnMissingBean
	AepStreamingConnections aepStreamingConnections(AepStreamingProperties properties,
			AepStreamingConnectionDetails connectionDetails, AepStreamingConnectionFactory connectionFactory,
			DeliveryEngine deliveryEngine, ObjectProvider<ImsTokenManager> tokenManager,
			StreamingOperations streamingOperations, ReactiveStreamingOperations reactiveStreamingOperations) {
		AepStreamingConfigurationValidator.validate(properties, connectionDetails);
		StreamingConnectionSettings defaults = StreamingConnectionSettings.ofDefault(properties, connectionDetails);
		ImsTokenManager defaultTokenManager = properties.isAuthenticated() ? tokenManager.getObject() : null;
		List<AepStreamingConnections.Connection> connections = new ArrayList<>();
		connections.add(new AepStreamingConnections.Connection(defaults.name(), defaults.connectionId(), deliveryEngine,
				defaultTokenManager, streamingOperations, reactiveStreamingOperations));
		// One token manager per credential: connections naming the same credential share
		// its token, as Adobe asks clients to reuse a token until it expires
		Map<ImsCredential, ImsTokenManager> tokenManagers = new HashMap<>();
		if (defaults.credential() != null && defaultTokenManager != null) {
			tokenManagers.put(defaults.credential(), defaultTokenManager);
		}
		properties.getConnections().forEach((name, connection) -> {
			StreamingConnectionSettings settings = defaults.overlay(name, connection);
			ImsTokenManager connectionTokenManager = (settings.credential() != null) ? tokenManagers.computeIfAbsent(
					settings.credential(), (credential) -> connectionFactory.tokenManager(settings)) : null;
			connections.add(connectionFactory.connection(settings, connectionTokenManager));
		});
		return new AepStreamingConnections(connections);
	}

	@Bean
	AepStreamingDeliveryLifecycle aepStreamingDeliveryLifecycle(AepStreamingConnections connections,
			AepStreamingProperties properties) {
		return new AepStreamingDeliveryLifecycle(connections, properties.getShutdown().getTimeout());
	}

	/**
	 * Return how deliveries and token requests are observed: with the application's
	 * registry unless {@code aep.streaming.observations.enabled} is {@code false}, and
	 * with the application's own conventions where it defines one, as Spring Boot does
	 * for its own observations. Micrometer Observation is a dependency of Spring
	 * Framework itself, so the class is always present.
	 */
	static AepStreamingConnectionFactory.Observations observations(AepStreamingProperties properties,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<StreamingSendObservationConvention> sendObservationConvention,
			ObjectProvider<ImsTokenRequestObservationConvention> tokenRequestObservationConvention) {
		ObservationRegistry registry = properties.getObservations().isEnabled()
				? observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP) : ObservationRegistry.NOOP;
		return new AepStreamingConnectionFactory.Observations(registry, sendObservationConvention.getIfUnique(),
				tokenRequestObservationConvention.getIfUnique());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "aep.streaming.authenticated", matchIfMissing = true)
	static class ImsTokenConfiguration {

		@Bean(name = AUTHORIZED_CLIENT_SERVICE_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = AUTHORIZED_CLIENT_SERVICE_BEAN_NAME)
		ReactiveOAuth2AuthorizedClientService aepStreamingAuthorizedClientService(AepStreamingProperties properties,
				AepStreamingConnectionDetails connectionDetails) {
			AepStreamingConfigurationValidator.validate(properties, connectionDetails);
			return new InMemoryReactiveOAuth2AuthorizedClientService(AepStreamingConnectionFactory
				.registrations(REGISTRATION_ID, credential(properties, connectionDetails)));
		}

		@Bean(name = AUTHORIZED_CLIENT_MANAGER_BEAN_NAME, defaultCandidate = false)
		@ConditionalOnMissingBean(name = AUTHORIZED_CLIENT_MANAGER_BEAN_NAME)
		ReactiveOAuth2AuthorizedClientManager aepStreamingAuthorizedClientManager(AepStreamingProperties properties,
				AepStreamingConnectionDetails connectionDetails,
				@Qualifier(AUTHORIZED_CLIENT_SERVICE_BEAN_NAME) ReactiveOAuth2AuthorizedClientService authorizedClientService,
				AepStreamingHttpResources httpResources, ObjectProvider<WebClient.Builder> webClientBuilder) {
			ImsCredential credential = credential(properties, connectionDetails);
			return AepStreamingConnectionFactory.authorizedClientManager(
					AepStreamingConnectionFactory.registrations(REGISTRATION_ID, credential), authorizedClientService,
					credential, webClientBuilder.getIfAvailable(WebClient::builder), httpResources);
		}

		@Bean
		@ConditionalOnMissingBean
		ImsTokenManager aepStreamingImsTokenManager(AepStreamingProperties properties,
				AepStreamingConnectionDetails connectionDetails,
				@Qualifier(AUTHORIZED_CLIENT_MANAGER_BEAN_NAME) ReactiveOAuth2AuthorizedClientManager authorizedClientManager,
				@Qualifier(AUTHORIZED_CLIENT_SERVICE_BEAN_NAME) ReactiveOAuth2AuthorizedClientService authorizedClientService,
				AepStreamingConnectionFactory connectionFactory) {
			return connectionFactory.tokenManager(credential(properties, connectionDetails), authorizedClientManager,
					authorizedClientService, REGISTRATION_ID, StreamingTemplates.DEFAULT_CONNECTION);
		}

		private static ImsCredential credential(AepStreamingProperties properties,
				AepStreamingConnectionDetails connectionDetails) {
			return StreamingConnectionSettings.ofDefault(properties, connectionDetails).credential();
		}

	}

}
