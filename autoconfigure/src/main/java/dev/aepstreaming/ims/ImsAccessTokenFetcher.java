package dev.aepstreaming.ims;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * Requests a new access token from IMS. The {@link ImsTokenManager} decides when, and
 * makes sure that only one request is in flight at a time.
 *
 * @author aep-streaming
 * @see AuthorizedClientManagerTokenFetcher
 */
@FunctionalInterface
public interface ImsAccessTokenFetcher {

	/**
	 * Request a new token. Never answers a cached one.
	 * @return the new token, or an error: an
	 * {@link org.springframework.security.oauth2.core.OAuth2AuthorizationException} when
	 * IMS answered with an OAuth2 error, any other exception when it could not be reached
	 */
	Mono<OAuth2AccessToken> fetchToken();

}
