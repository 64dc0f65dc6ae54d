package dev.aepstreaming.autoconfigure;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.autoconfigure.StreamingConnectionSettings.ImsCredential;
import dev.aepstreaming.delivery.DeadLetterHandler;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.delivery.ResilientExchange;
import dev.aepstreaming.http.ImsBearerExchangeFilterFunction;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.ims.AuthorizedClientManagerTokenFetcher;
import dev.aepstreaming.ims.ImsOAuth2Clients;
import dev.aepstreaming.ims.ImsTokenManager;
import dev.aepstreaming.observation.ImsTokenRequestObservationConvention;
import dev.aepstreaming.observation.StreamingSendObservationConvention;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Assembles what delivers to one streaming connection: its HTTP client, its delivery
 * engine, its templates and, for a credential of its own, its IMS token manager. The
 * {@code default} connection's parts are beans, each replaceable, built through this
 * factory; those of the named connections are built by it for
 * {@link AepStreamingConnections} alone, with the same settings and customizers.
 * <p>
 * The token managers it builds are not beans, so it closes them when it is destroyed. The
 * delivery lifecycle closes them first, after flushing; but a context whose refresh fails
 * is destroyed without being stopped, and a token manager that obtained a token during
 * startup would otherwise refresh it in the background for good.
 *
 * @author aep-streaming
 */
final class AepStreamingConnectionFactory implements DisposableBean {

	private final AepStreamingProperties properties;

	private final JsonMapper jsonMapper;

	private final Supplier<WebClient.Builder> webClientBuilder;

	private final AepStreamingHttpResources httpResources;

	private final DeadLetterHandler deadLetterHandler;

	private final List<StreamingWebClientCustomizer> webClientCustomizers;

	private final List<AepStreamingResilienceCustomizer> resilienceCustomizers;

	private final List<ImsTokenManagerCustomizer> tokenManagerCustomizers;

	private final RetryRegistry retryRegistry;

	private final CircuitBreakerRegistry circuitBreakerRegistry;

	private final RateLimiterRegistry rateLimiterRegistry;

	private final Observations observations;

	private final List<ImsTokenManager> tokenManagers = new CopyOnWriteArrayList<>();

	AepStreamingConnectionFactory(AepStreamingProperties properties, JsonMapper jsonMapper,
			Supplier<WebClient.Builder> webClientBuilder, AepStreamingHttpResources httpResources,
			DeadLetterHandler deadLetterHandler, Customizers customizers, Registries registries,
			Observations observations) {
		this.properties = properties;
		this.jsonMapper = jsonMapper;
		this.webClientBuilder = webClientBuilder;
		this.httpResources = httpResources;
		this.deadLetterHandler = deadLetterHandler;
		this.webClientCustomizers = customizers.webClient();
		this.resilienceCustomizers = customizers.resilience();
		this.tokenManagerCustomizers = customizers.tokenManager();
		this.retryRegistry = registries.retry();
		this.circuitBreakerRegistry = registries.circuitBreaker();
		this.rateLimiterRegistry = registries.rateLimiter();
		this.observations = observations;
	}

	/**
	 * Build the client of a connection, with the bearer filter when it is authenticated.
	 * @param settings the connection's settings
	 * @param tokenManager the manager of its token, or {@code null} when it is not
	 * authenticated
	 * @return the client
	 */
	StreamingHttpClient httpClient(StreamingConnectionSettings settings, @Nullable ImsTokenManager tokenManager) {
		WebClient.Builder builder = this.webClientBuilder.get()
			.baseUrl(settings.baseUrl())
			.clientConnector(this.httpResources.streamingConnector());
		if (settings.credential() != null && tokenManager != null) {
			builder.filter(new ImsBearerExchangeFilterFunction(tokenManager, settings.credential().clientId(),
					settings.orgId()));
		}
		this.webClientCustomizers.forEach((customizer) -> customizer.customize(builder));
		StreamingHttpClient client = new StreamingHttpClient(builder.build(), this.jsonMapper, settings.connectionId(),
				settings.sandboxName(), settings.flowId(), Clock.systemUTC());
		client.setResponseTimeout(this.properties.getResponseTimeout());
		return client;
	}

	/**
	 * Build the delivery engine of a connection, with its own retry, circuit breaker,
	 * rate limiter, buffer and batcher.
	 * @param settings the connection's settings
	 * @param client the connection's client
	 * @return the engine
	 */
	DeliveryEngine deliveryEngine(StreamingConnectionSettings settings, StreamingHttpClient client) {
		ResilientExchange exchange = new AepStreamingResilience(this.properties, client.getConnectionId(),
				this.resilienceCustomizers)
			.exchange(this.retryRegistry, this.circuitBreakerRegistry, this.rateLimiterRegistry);
		AepStreamingProperties.Batch batch = this.properties.getBatch();
		DeliveryEngine.Batching batching = batch.isEnabled() ? new DeliveryEngine.Batching(batch.getMaxMessages(),
				(int) batch.getMaxBytes().toBytes(), batch.getLinger(), batch.getMaxConcurrentRequests()) : null;
		AepStreamingProperties.Buffer buffer = this.properties.getBuffer();
		DeliveryEngine engine = new DeliveryEngine(client, exchange, this.deadLetterHandler, buffer.getCapacity(),
				buffer.getMaxWait(), batching);
		engine.setConnectionName(settings.name());
		engine.setObservationRegistry(this.observations.registry());
		engine.setObservationConvention(this.observations.sendConvention());
		return engine;
	}

	/**
	 * Build the reactive template of a connection.
	 * @param settings the connection's settings
	 * @param engine the connection's delivery engine
	 * @return the template
	 */
	ReactiveStreamingTemplate reactiveTemplate(StreamingConnectionSettings settings, DeliveryEngine engine) {
		return new ReactiveStreamingTemplate(engine, new StreamingMessageWriter(this.jsonMapper, settings.envelope()),
				settings.syncValidation());
	}

	/**
	 * Build the token manager of a credential that only named connections use, with
	 * Spring Security pieces of its own that are not beans; closed when this factory is
	 * destroyed.
	 * @param settings the settings of the first connection that uses the credential
	 * @return the token manager
	 */
	ImsTokenManager tokenManager(StreamingConnectionSettings settings) {
		ImsCredential credential = settings.credential();
		String registrationId = AepStreamingAutoConfiguration.REGISTRATION_ID + "-" + settings.name();
		InMemoryReactiveClientRegistrationRepository registrations = registrations(registrationId, credential);
		ReactiveOAuth2AuthorizedClientService service = new InMemoryReactiveOAuth2AuthorizedClientService(
				registrations);
		ReactiveOAuth2AuthorizedClientManager manager = authorizedClientManager(registrations, service, credential,
				this.webClientBuilder.get(), this.httpResources);
		ImsTokenManager tokenManager = tokenManager(credential, manager, service, registrationId, settings.name());
		this.tokenManagers.add(tokenManager);
		return tokenManager;
	}

	/**
	 * Connect a named connection: build its client, engine and templates.
	 * @param settings the connection's settings
	 * @param tokenManager the manager of its token, or {@code null} when it is not
	 * authenticated
	 * @return the connection
	 */
	AepStreamingConnections.Connection connection(StreamingConnectionSettings settings,
			@Nullable ImsTokenManager tokenManager) {
		DeliveryEngine engine = deliveryEngine(settings, httpClient(settings, tokenManager));
		ReactiveStreamingTemplate reactiveTemplate = reactiveTemplate(settings, engine);
		return new AepStreamingConnections.Connection(settings.name(), settings.connectionId(), engine, tokenManager,
				new StreamingTemplate(reactiveTemplate), reactiveTemplate);
	}

	@Override
	public void destroy() {
		this.tokenManagers.forEach(ImsTokenManager::close);
	}

	static InMemoryReactiveClientRegistrationRepository registrations(String registrationId, ImsCredential credential) {
		return new InMemoryReactiveClientRegistrationRepository(ImsOAuth2Clients.clientRegistration(registrationId,
				credential.tokenUri(), credential.clientId(), credential.scopes()));
	}

	static ReactiveOAuth2AuthorizedClientManager authorizedClientManager(
			InMemoryReactiveClientRegistrationRepository registrations,
			ReactiveOAuth2AuthorizedClientService authorizedClientService, ImsCredential credential,
			WebClient.Builder webClientBuilder, AepStreamingHttpResources httpResources) {
		WebClient imsClient = webClientBuilder.clientConnector(httpResources.imsConnector()).build();
		return ImsOAuth2Clients.authorizedClientManager(registrations, authorizedClientService,
				ImsOAuth2Clients.tokenResponseClient(imsClient, credential.clientSecret()));
	}

	/**
	 * Build the token manager of a credential on top of Spring Security's pieces, set up
	 * from the {@code aep.streaming.ims.*} properties, observed, and customized.
	 * @param credential the credential
	 * @param authorizedClientManager the manager that performs the client-credentials
	 * exchange
	 * @param authorizedClientService the service that stores the authorized client
	 * @param registrationId the id of the credential's client registration
	 * @param credentialName the name of the first connection that uses the credential
	 * @return the token manager
	 */
	ImsTokenManager tokenManager(ImsCredential credential,
			ReactiveOAuth2AuthorizedClientManager authorizedClientManager,
			ReactiveOAuth2AuthorizedClientService authorizedClientService, String registrationId,
			String credentialName) {
		AuthorizedClientManagerTokenFetcher fetcher = new AuthorizedClientManagerTokenFetcher(authorizedClientManager,
				authorizedClientService, registrationId, AepStreamingAutoConfiguration.PRINCIPAL_NAME);
		ImsTokenManager tokenManager = new ImsTokenManager(fetcher, credential.clientId(), credential.tokenUri());
		AepStreamingProperties.Ims ims = this.properties.getIms();
		tokenManager.setRefreshBeforeExpiry(ims.getRefreshBeforeExpiry());
		tokenManager.setTokenRequestTimeout(ims.getTokenRequestTimeout());
		tokenManager.setInitialRetryBackoff(ims.getInitialRetryBackoff());
		tokenManager.setMaxRetryBackoff(ims.getMaxRetryBackoff());
		tokenManager.setMinReauthenticationInterval(ims.getMinReauthenticationInterval());
		tokenManager.setCredentialName(credentialName);
		tokenManager.setObservationRegistry(this.observations.registry());
		tokenManager.setObservationConvention(this.observations.tokenRequestConvention());
		this.tokenManagerCustomizers.forEach((customizer) -> customizer.customize(tokenManager));
		return tokenManager;
	}

	/**
	 * How the deliveries and token requests of every connection are observed.
	 *
	 * @param registry the registry, {@link ObservationRegistry#NOOP} to observe nothing
	 * @param sendConvention the application's convention for deliveries, or {@code null}
	 * for the default
	 * @param tokenRequestConvention the application's convention for token requests, or
	 * {@code null} for the default
	 */
	record Observations(ObservationRegistry registry, @Nullable StreamingSendObservationConvention sendConvention,
			@Nullable ImsTokenRequestObservationConvention tokenRequestConvention) {

	}

	/**
	 * The customizers that apply to every connection.
	 *
	 * @param webClient the customizers of the streaming {@link WebClient}s
	 * @param resilience the customizers of the Resilience4j settings
	 * @param tokenManager the customizers of the token managers
	 */
	record Customizers(List<StreamingWebClientCustomizer> webClient, List<AepStreamingResilienceCustomizer> resilience,
			List<ImsTokenManagerCustomizer> tokenManager) {

	}

	/**
	 * The Resilience4j registries in which each connection's instances are created.
	 *
	 * @param retry the retry registry
	 * @param circuitBreaker the circuit breaker registry
	 * @param rateLimiter the rate limiter registry
	 */
	record Registries(RetryRegistry retry, CircuitBreakerRegistry circuitBreaker, RateLimiterRegistry rateLimiter) {

	}

}
