package dev.aepstreaming.ims;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.core.codec.Hints;
import org.springframework.http.ReactiveHttpInputMessage;
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
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.web.reactive.function.OAuth2BodyExtractors;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.BodyExtractor;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds the Spring Security pieces of the IMS OAuth Server-to-Server (client
 * credentials) exchange, with the two adjustments that IMS needs.
 *
 * @author aep-streaming
 */
public final class ImsOAuth2Clients {

	private ImsOAuth2Clients() {
	}

	/**
	 * Create the client registration of an IMS credential. IMS documents
	 * {@code client_secret_post}: the client id and secret travel in the form body.
	 * @param registrationId the registration id
	 * @param tokenUri the IMS token endpoint
	 * @param clientId the credential's client id
	 * @param clientSecret the credential's client secret
	 * @param scopes the scopes to request
	 * @return the registration
	 */
	public static ClientRegistration clientRegistration(String registrationId, String tokenUri, String clientId,
			String clientSecret, Collection<String> scopes) {
		Assert.hasText(registrationId, "'registrationId' must not be empty");
		return ClientRegistration.withRegistrationId(registrationId)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.tokenUri(tokenUri)
			.clientId(clientId)
			.clientSecret(clientSecret)
			.scope(scopes)
			.build();
	}

	/**
	 * Create the token response client. IMS expects the scopes comma-separated
	 * ({@code openid,AdobeID,read_organizations}), while RFC 6749 and Spring Security
	 * join them with spaces, so the {@code scope} parameter is rewritten. IMS's
	 * {@code expires_in} is in seconds as RFC 6749 says, which Spring Security reads as
	 * such.
	 * @param webClient the client that sends token requests
	 * @return the token response client
	 */
	public static WebClientReactiveClientCredentialsTokenResponseClient tokenResponseClient(WebClient webClient) {
		Assert.notNull(webClient, "'webClient' must not be null");
		WebClientReactiveClientCredentialsTokenResponseClient client = new WebClientReactiveClientCredentialsTokenResponseClient();
		client.setWebClient(webClient);
		client.setParametersCustomizer((parameters) -> {
			List<String> scope = parameters.get(OAuth2ParameterNames.SCOPE);
			if (scope != null) {
				parameters.set(OAuth2ParameterNames.SCOPE, commaSeparated(scope));
			}
		});
		client.setBodyExtractor(withoutLogging(OAuth2BodyExtractors.oauth2AccessTokenResponse()));
		return client;
	}

	/**
	 * Wrap a body extractor so that the codecs do not log what they decode. Spring's JSON
	 * decoder logs decoded values at {@code TRACE}, which for a token response would put
	 * the access token in the logs; it honours {@link Hints#SUPPRESS_LOGGING_HINT}.
	 */
	private static <T> BodyExtractor<T, ReactiveHttpInputMessage> withoutLogging(
			BodyExtractor<T, ReactiveHttpInputMessage> extractor) {
		return (inputMessage, context) -> extractor.extract(inputMessage, new BodyExtractor.Context() {

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

		});
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
