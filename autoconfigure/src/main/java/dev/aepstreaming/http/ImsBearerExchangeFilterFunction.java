package dev.aepstreaming.http;

import dev.aepstreaming.ims.ImsAccessToken;
import dev.aepstreaming.ims.ImsTokenManager;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Adds the credential headers that AEP's authenticated streaming connections require
 * ({@code Authorization: Bearer}, {@code x-api-key} with the client id and
 * {@code x-gw-ims-org-id}) and rotates the token when AEP refuses it.
 * <p>
 * AEP answers {@code 401} for a missing, invalid or expired token, and one of Adobe's
 * pages says {@code 403} for an invalid or expired one; Adobe's own connector treats both
 * alike, and so does this filter: it invalidates exactly the token that was refused,
 * obtains a valid one through the {@link ImsTokenManager}'s single flight, and sends the
 * request once more. A refusal of the retried request is answered as it is, never retried
 * again. The request body must therefore be replayable, as a {@code byte[]} body is.
 * <p>
 * The response timeout of a {@link StreamingHttpClient}'s send stops while the new token
 * is obtained, and starts again with the whole time allowed when the request is sent once
 * more.
 *
 * @author aep-streaming
 */
public final class ImsBearerExchangeFilterFunction implements ExchangeFilterFunction {

	/**
	 * The header that carries the credential's client id.
	 */
	public static final String API_KEY_HEADER = "x-api-key";

	/**
	 * The header that carries the IMS organization id.
	 */
	public static final String ORG_ID_HEADER = "x-gw-ims-org-id";

	private final ImsTokenManager tokenManager;

	private final String clientId;

	private final String orgId;

	/**
	 * Create a new filter.
	 * @param tokenManager the source of tokens
	 * @param clientId the credential's client id, sent as {@code x-api-key}
	 * @param orgId the IMS organization id, sent as {@code x-gw-ims-org-id}
	 */
	public ImsBearerExchangeFilterFunction(ImsTokenManager tokenManager, String clientId, String orgId) {
		Assert.notNull(tokenManager, "'tokenManager' must not be null");
		Assert.hasText(clientId, "'clientId' must not be empty");
		Assert.hasText(orgId, "'orgId' must not be empty");
		this.tokenManager = tokenManager;
		this.clientId = clientId;
		this.orgId = orgId;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return this.tokenManager.getToken()
			.flatMap((token) -> next.exchange(authorize(request, token))
				.flatMap((response) -> handleResponse(request, next, token, response)));
	}

	private Mono<ClientResponse> handleResponse(ClientRequest request, ExchangeFunction next, ImsAccessToken token,
			ClientResponse response) {
		if (!isTokenRefused(response)) {
			token.markAccepted();
			return Mono.just(response);
		}
		if (!this.tokenManager.invalidate(token)) {
			return Mono.just(response);
		}
		// AEP has answered. aep.streaming.response-timeout does not count the time to
		// obtain a token, which aep.streaming.ims.token-request-timeout bounds; the
		// resend starts the timer again.
		return response.releaseBody()
			.doOnSuccess((released) -> ResponseTimer.stop(request))
			.then(this.tokenManager.getToken())
			.flatMap((renewed) -> next.exchange(authorize(request, renewed)).doOnNext((retried) -> {
				if (!isTokenRefused(retried)) {
					renewed.markAccepted();
				}
			}));
	}

	private ClientRequest authorize(ClientRequest request, ImsAccessToken token) {
		return ClientRequest.from(request).headers((headers) -> {
			headers.setBearerAuth(token.getTokenValue());
			headers.set(API_KEY_HEADER, this.clientId);
			headers.set(ORG_ID_HEADER, this.orgId);
		}).build();
	}

	private static boolean isTokenRefused(ClientResponse response) {
		int status = response.statusCode().value();
		return status == HttpStatus.UNAUTHORIZED.value() || status == HttpStatus.FORBIDDEN.value();
	}

	@Override
	public String toString() {
		return "ImsBearerExchangeFilterFunction[clientId=" + this.clientId + ", orgId=" + this.orgId + "]";
	}

}
