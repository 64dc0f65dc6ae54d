package dev.aepstreaming.ims;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.codec.Hints;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.DefaultMapOAuth2AccessTokenResponseConverter;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.BodyExtractor;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds the Spring Security pieces of the IMS OAuth Server-to-Server (client
 * credentials) exchange, with the two adjustments that IMS needs.
 *
 * @author aep-streaming
 */
public final class ImsOAuth2Clients {

	private static final ParameterizedTypeReference<Map<String, Object>> TOKEN_RESPONSE_TYPE = new ParameterizedTypeReference<>() {
	};

	private static final DefaultMapOAuth2AccessTokenResponseConverter TOKEN_RESPONSE_CONVERTER = new DefaultMapOAuth2AccessTokenResponseConverter();

	private ImsOAuth2Clients() {
	}

	/**
	 * Create the client registration of an IMS credential. IMS documents
	 * {@code client_secret_post}: the client id and secret travel in the form body. The
	 * secret is deliberately not kept in the registration, whose {@code toString()} would
	 * print it; {@link #tokenResponseClient(WebClient, String)} adds it to each token
	 * request instead.
	 * @param registrationId the registration id
	 * @param tokenUri the IMS token endpoint
	 * @param clientId the credential's client id
	 * @param scopes the scopes to request
	 * @return the registration
	 */
	public static ClientRegistration clientRegistration(String registrationId, String tokenUri, String clientId,
			Collection<String> scopes) {
		Assert.hasText(registrationId, "'registrationId' must not be empty");
		return ClientRegistration.withRegistrationId(registrationId)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.tokenUri(tokenUri)
			.clientId(clientId)
			.scope(scopes)
			.build();
	}

	/**
	 * Create the token response client of one credential. IMS expects the scopes
	 * comma-separated ({@code openid,AdobeID,read_organizations}), while RFC 6749 and
	 * Spring Security join them with spaces, so the {@code scope} parameter is rewritten.
	 * The client secret is added here, not taken from the registration (see
	 * {@link #clientRegistration(String, String, String, Collection)}). IMS's
	 * {@code expires_in} is in seconds as RFC 6749 says.
	 * @param webClient the client that sends token requests
	 * @param clientSecret the credential's client secret
	 * @return the token response client
	 */
	public static WebClientReactiveClientCredentialsTokenResponseClient tokenResponseClient(WebClient webClient,
			String clientSecret) {
		Assert.notNull(webClient, "'webClient' must not be null");
		Assert.hasText(clientSecret, "'clientSecret' must not be empty");
		WebClientReactiveClientCredentialsTokenResponseClient client = new WebClientReactiveClientCredentialsTokenResponseClient();
		client.setWebClient(webClient);
		client.setParametersCustomizer((parameters) -> {
			List<String> scope = parameters.get(OAuth2ParameterNames.SCOPE);
			if (scope != null) {
				parameters.set(OAuth2ParameterNames.SCOPE, commaSeparated(scope));
			}
			parameters.set(OAuth2ParameterNames.CLIENT_SECRET, clientSecret);
		});
		client.setBodyExtractor(tokenResponseExtractor());
		return client;
	}

	/**
	 * Read a token response as Spring Security does, with two additions: the body is
	 * decoded with {@link Hints#SUPPRESS_LOGGING_HINT}, since Spring's JSON decoder logs
	 * decoded values at {@code TRACE} and would log the access token; and
	 * {@code expires_in} must be a positive number of seconds, where Spring Security
	 * would silently read a missing, zero or negative value as one second.
	 */
	private static BodyExtractor<Mono<OAuth2AccessTokenResponse>, ReactiveHttpInputMessage> tokenResponseExtractor() {
		return (message, context) -> BodyExtractors.toMono(TOKEN_RESPONSE_TYPE)
			.extract(message, withoutLogging(context))
			.onErrorMap((ex) -> !(ex instanceof OAuth2AuthorizationException),
					(ex) -> invalidResponse(message, "a body that is not a token response (" + ex.getMessage() + ")"))
			.switchIfEmpty(Mono.error(() -> invalidResponse(message, "an empty body")))
			.map((parameters) -> toTokenResponse(message, parameters));
	}

	private static OAuth2AccessTokenResponse toTokenResponse(ReactiveHttpInputMessage message,
			Map<String, Object> parameters) {
		Object error = parameters.get(OAuth2ParameterNames.ERROR);
		if (error != null) {
			Object description = parameters.get(OAuth2ParameterNames.ERROR_DESCRIPTION);
			throw new OAuth2AuthorizationException(
					new OAuth2Error(error.toString(), (description != null) ? description.toString() : null, null));
		}
		Object expiresIn = parameters.get(OAuth2ParameterNames.EXPIRES_IN);
		if (!(expiresIn instanceof Number seconds) || seconds.doubleValue() <= 0) {
			throw invalidResponse(message, "expires_in " + ((expiresIn != null) ? "'" + expiresIn + "'" : "missing")
					+ ", where a positive number of seconds is expected");
		}
		try {
			return TOKEN_RESPONSE_CONVERTER.convert(parameters);
		}
		catch (RuntimeException ex) {
			throw invalidResponse(message, "a token response that could not be read (" + ex.getMessage() + ")");
		}
	}

	private static OAuth2AuthorizationException invalidResponse(ReactiveHttpInputMessage message, String what) {
		String status = (message instanceof ClientHttpResponse response) ? " " + response.getStatusCode().value() : "";
		return new OAuth2AuthorizationException(
				new OAuth2Error("invalid_token_response", "IMS answered" + status + " with " + what, null));
	}

	private static BodyExtractor.Context withoutLogging(BodyExtractor.Context context) {
		return new BodyExtractor.Context() {

			@Override
			public List<HttpMessageReader<?>> messageReaders() {
				return context.messageReaders();
			}

			@Override
			public Optional<ServerHttpResponse> serverResponse() {
				return context.serverResponse();
			}

			@Override
			public Map<String, Object> hints() {
				Map<String, Object> hints = new HashMap<>(context.hints());
				hints.put(Hints.SUPPRESS_LOGGING_HINT, true);
				return hints;
			}

		};
	}

	/**
	 * Create an authorized client manager that works outside HTTP requests (background
	 * producers, schedulers, servlet applications), since it keeps authorized clients in
	 * a {@link ReactiveOAuth2AuthorizedClientService} rather than in a web session.
	 * @param registrations the repository that holds the IMS registration
	 * @param authorizedClientService where authorized clients are kept
	 * @param tokenResponseClient the client of the token endpoint
	 * @return the manager
	 */
	public static AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager authorizedClientManager(
			ReactiveClientRegistrationRepository registrations,
			ReactiveOAuth2AuthorizedClientService authorizedClientService,
			WebClientReactiveClientCredentialsTokenResponseClient tokenResponseClient) {
		ClientCredentialsReactiveOAuth2AuthorizedClientProvider provider = new ClientCredentialsReactiveOAuth2AuthorizedClientProvider();
		provider.setAccessTokenResponseClient(tokenResponseClient);
		AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
				registrations, authorizedClientService);
		manager.setAuthorizedClientProvider(provider);
		return manager;
	}

	private static String commaSeparated(List<String> values) {
		return String.join(",",
				values.stream()
					.flatMap((value) -> List.of(StringUtils.tokenizeToStringArray(value, " ,")).stream())
					.toList());
	}

}
