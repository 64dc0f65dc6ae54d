package dev.aepstreaming.ims;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.util.Assert;

/**
 * Fetches tokens through Spring Security's {@link ReactiveOAuth2AuthorizedClientManager}
 * so that the client-credentials exchange, client authentication and response parsing
 * stay Spring Security's. The authorized client is removed before each authorization: the
 * manager would otherwise answer its cached client until its fixed clock skew, while the
 * {@link ImsTokenManager} decides itself when a new token is due.
 *
 * @author aep-streaming
 */
public final class AuthorizedClientManagerTokenFetcher implements ImsAccessTokenFetcher {

	private final ReactiveOAuth2AuthorizedClientManager authorizedClientManager;

	private final ReactiveOAuth2AuthorizedClientService authorizedClientService;

	private final String registrationId;

	private final String principalName;

	/**
	 * Create a new fetcher.
	 * @param authorizedClientManager the manager that performs the exchange
	 * @param authorizedClientService the service the manager stores authorized clients in
	 * @param registrationId the id of the IMS client registration
	 * @param principalName the name under which the authorized client is stored
	 */
	public AuthorizedClientManagerTokenFetcher(ReactiveOAuth2AuthorizedClientManager authorizedClientManager,
			ReactiveOAuth2AuthorizedClientService authorizedClientService, String registrationId,
			String principalName) {
		Assert.notNull(authorizedClientManager, "'authorizedClientManager' must not be null");
		Assert.notNull(authorizedClientService, "'authorizedClientService' must not be null");
		Assert.hasText(registrationId, "'registrationId' must not be empty");
		Assert.hasText(principalName, "'principalName' must not be empty");
		this.authorizedClientManager = authorizedClientManager;
		this.authorizedClientService = authorizedClientService;
		this.registrationId = registrationId;
		this.principalName = principalName;
	}

	@Override
	public Mono<OAuth2AccessToken> fetchToken() {
		OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId(this.registrationId)
			.principal(this.principalName)
			.build();
		return this.authorizedClientService.removeAuthorizedClient(this.registrationId, this.principalName)
			.then(this.authorizedClientManager.authorize(request))
			.map(OAuth2AuthorizedClient::getAccessToken)
			.switchIfEmpty(Mono.error(() -> new IllegalStateException(
					"The authorized client manager returned no client for registration '" + this.registrationId
							+ "'")));
	}

}
