package dev.aepstreaming.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.aepstreaming.http.ImsBearerExchangeFilterFunction;
import dev.aepstreaming.ims.ImsTokenManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * JMH benchmark of what the starter's bearer filter adds to a request: the
 * {@link ImsBearerExchangeFilterFunction} with a cached token against a filter that sets
 * the same three headers from constants, both in front of an exchange that answers
 * {@code 200} at once without any I/O.
 *
 * @author aep-streaming
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BearerFilterBenchmark {

	private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl";

	private static final String CLIENT_ID = "bench-client-id";

	private static final String ORG_ID = "BENCH0000000000000000000@AdobeOrg";

	private final ClientRequest request = ClientRequest
		.create(HttpMethod.POST, URI.create("http://127.0.0.1:8080/collection/bench-connection"))
		.build();

	private final Mono<ClientResponse> response = Mono.just(ClientResponse.create(HttpStatus.OK).build());

	private final ExchangeFunction answer = (request) -> this.response;

	private ImsTokenManager tokenManager;

	private ExchangeFilterFunction imsBearer;

	private final ExchangeFilterFunction staticHeaders = (request, next) -> next
		.exchange(ClientRequest.from(request).headers((headers) -> {
			headers.setBearerAuth(TOKEN);
			headers.set(ImsBearerExchangeFilterFunction.API_KEY_HEADER, CLIENT_ID);
			headers.set(ImsBearerExchangeFilterFunction.ORG_ID_HEADER, ORG_ID);
		}).build());

	@Setup
	public void setUp() {
		this.tokenManager = new ImsTokenManager(() -> {
			Instant now = Instant.now();
			return Mono.just(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, TOKEN, now,
					now.plus(Duration.ofDays(1))));
		}, CLIENT_ID, "http://127.0.0.1:8080/ims/token/v3");
		this.tokenManager.getToken().block();
		this.imsBearer = new ImsBearerExchangeFilterFunction(this.tokenManager, CLIENT_ID, ORG_ID);
	}

	@TearDown
	public void tearDown() {
		this.tokenManager.close();
	}

	@Benchmark
	public ClientResponse staticBearerHeaders() {
		return this.staticHeaders.filter(this.request, this.answer).block();
	}

	@Benchmark
	public ClientResponse imsBearerFilter() {
		return this.imsBearer.filter(this.request, this.answer).block();
	}

}
