package dev.aepstreaming.benchmarks;

import java.util.Map;
import java.util.function.Supplier;

import dev.aepstreaming.emulator.AepEmulator;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The clients that the starter is compared with, each sending one event per call to the
 * same streaming endpoint with the same headers and envelope.
 *
 * @author aep-streaming
 */
final class Clients {

	private static final String SEND_PATH = "/collection/{connectionId}";

	private Clients() {
	}

	/**
	 * The limit: a {@code WebClient} on Reactor Netty's defaults with a static bearer
	 * header, sending the envelope and reading the answer's bytes.
	 * @param baseUrl the streaming endpoint
	 * @param token a valid token, fetched once
	 * @param clientId the client id, sent as {@code x-api-key}
	 * @return the sender
	 */
	static Supplier<Mono<?>> staticBearer(String baseUrl, String token, String clientId) {
		WebClient webClient = streamingClient(baseUrl, clientId)
			.defaultHeaders((headers) -> headers.setBearerAuth(token))
			.build();
		return () -> send(webClient, null);
	}

	/**
	 * The anti-pattern: a token request before every event.
	 * @param baseUrl the streaming endpoint
	 * @param emulator the token endpoint
	 * @return the sender
	 */
	static Supplier<Mono<?>> tokenPerEvent(String baseUrl, AepEmulator emulator) {
		WebClient webClient = streamingClient(baseUrl, emulator.clientId()).build();
		WebClient tokenClient = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create()))
			.build();
		return () -> fetchToken(tokenClient, emulator).flatMap((token) -> send(webClient, token));
	}

	/**
	 * Spring Security's stock client credentials support: a
	 * {@link ServerOAuth2AuthorizedClientExchangeFilterFunction} over an
	 * {@link AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager} with its
	 * default provider and token response client. The scopes are registered as one
	 * comma-separated scope because IMS expects commas where OAuth 2.0 puts spaces; the
	 * client authenticates with Spring's default, {@code client_secret_basic}, which IMS
	 * accepts.
	 * @param baseUrl the streaming endpoint
	 * @param emulator the token endpoint
	 * @return the sender
	 */
	static Supplier<Mono<?>> springSecurityStock(String baseUrl, AepEmulator emulator) {
		ClientRegistration registration = ClientRegistration.withRegistrationId("ims")
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.tokenUri(emulator.tokenUri())
			.clientId(emulator.clientId())
			.clientSecret(emulator.clientSecret())
			.scope(emulator.credential().scopeParameter())
			.build();
		InMemoryReactiveClientRegistrationRepository registrations = new InMemoryReactiveClientRegistrationRepository(
				registration);
		AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
				registrations, new InMemoryReactiveOAuth2AuthorizedClientService(registrations));
		ServerOAuth2AuthorizedClientExchangeFilterFunction oauth2 = new ServerOAuth2AuthorizedClientExchangeFilterFunction(
				manager);
		oauth2.setDefaultClientRegistrationId("ims");
		WebClient webClient = streamingClient(baseUrl, emulator.clientId()).filter(oauth2).build();
		return () -> send(webClient, null);
	}

	/**
	 * Fetch a token from the token endpoint as any client credentials client would.
	 * @param tokenClient the client of the token endpoint
	 * @param emulator the token endpoint
	 * @return the access token
	 */
	static Mono<String> fetchToken(WebClient tokenClient, AepEmulator emulator) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "client_credentials");
		form.add("client_id", emulator.clientId());
		form.add("client_secret", emulator.clientSecret());
		form.add("scope", emulator.credential().scopeParameter());
		return tokenClient.post()
			.uri(emulator.tokenUri())
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData(form))
			.retrieve()
			.bodyToMono(Map.class)
			.map((answer) -> (String) answer.get("access_token"));
	}

	private static WebClient.Builder streamingClient(String baseUrl, String clientId) {
		return WebClient.builder()
			.baseUrl(baseUrl)
			.clientConnector(new ReactorClientHttpConnector(HttpClient.create()))
			.defaultHeaders((headers) -> {
				headers.set("x-api-key", clientId);
				headers.set("x-gw-ims-org-id", ExperienceEvents.ORG_ID);
				headers.set("x-sandbox-name", "prod");
				headers.set("x-adobe-flow-id", ExperienceEvents.FLOW_ID);
			});
	}

	private static Mono<byte[]> send(WebClient webClient, String token) {
		WebClient.RequestBodySpec request = webClient.post()
			.uri(SEND_PATH, ExperienceEvents.CONNECTION_ID)
			.contentType(MediaType.APPLICATION_JSON);
		if (token != null) {
			request.headers((headers) -> headers.setBearerAuth(token));
		}
		return request.bodyValue(ExperienceEvents.envelope(ExperienceEvents.entity()))
			.retrieve()
			.bodyToMono(byte[].class);
	}

}
