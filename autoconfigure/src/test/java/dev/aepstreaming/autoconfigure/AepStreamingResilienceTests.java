package dev.aepstreaming.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.StreamingCircuitOpenException;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingRateLimitedException;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.delivery.ResilientExchange;
import dev.aepstreaming.http.StreamingHttpClient;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.web.reactive.function.client.WebClient;

import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the circuit breaker and the rate limiter that {@link AepStreamingResilience}
 * builds from the properties, against a streaming server on loopback.
 *
 * @author aep-streaming
 */
class AepStreamingResilienceTests {

	private static final byte[] BODY = AepTestServers.writer(AepTestServers.envelopeSettings())
		.write(StreamingMessage.xdm(Map.of("_id", "evt-1")));

	private final AepStreamingProperties properties = new AepStreamingProperties();

	private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();

	private AepTestServers servers;

	private StreamingHttpClient client;

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
		this.client = unauthenticatedClient(this.servers);
		this.properties.getRetry().setEnabled(false);
		this.properties.getRateLimit().setEnabled(false);
		AepStreamingProperties.CircuitBreaker circuitBreaker = this.properties.getCircuitBreaker();
		circuitBreaker.setSlidingWindowSize(10);
		circuitBreaker.setMinimumNumberOfCalls(5);
		circuitBreaker.setFailureRateThreshold(50);
		circuitBreaker.setWaitDurationInOpenState(Duration.ofMinutes(10));
		circuitBreaker.setPermittedCallsInHalfOpenState(2);
	}

	@AfterEach
	void stopServers() {
		this.servers.close();
	}

	@Test
	void circuitOpensAfterEnoughServerErrorsAndThenFailsFastWithoutReachingAep() {
		answer(() -> json(503, "{\"title\":\"Service Unavailable\"}"));
		ResilientExchange exchange = exchange();
		for (int i = 0; i < 5; i++) {
			StepVerifier.create(send(exchange)).expectError(StreamingServerException.class).verify(TIMEOUT);
		}
		assertThat(circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		for (int i = 0; i < 10; i++) {
			StepVerifier.create(send(exchange))
				.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(StreamingCircuitOpenException.class)
					.hasMessageContaining("conn"))
				.verify(TIMEOUT);
		}
		assertThat(this.servers.streaming().requestCount()).isEqualTo(5);
	}

	@Test
	void openCircuitLetsRequestsThroughAgainAfterItsWaitAndClosesOnceTheyAreAccepted() {
		this.properties.getCircuitBreaker().setWaitDurationInOpenState(Duration.ofMillis(300));
		answer(() -> json(503, "{\"title\":\"Service Unavailable\"}"));
		ResilientExchange exchange = exchange();
		for (int i = 0; i < 5; i++) {
			StepVerifier.create(send(exchange)).expectError(StreamingServerException.class).verify(TIMEOUT);
		}
		answer(AepTestServers::accepted);
		StepVerifier.create(send(exchange)).expectError(StreamingCircuitOpenException.class).verify(TIMEOUT);
		AtomicInteger accepted = new AtomicInteger();
		await().atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> send(exchange).onErrorResume(StreamingCircuitOpenException.class, (ex) -> Mono.empty())
				.doOnNext((result) -> accepted.incrementAndGet())
				.blockOptional(TIMEOUT)
				.isPresent());
		assertThat(circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
		StepVerifier.create(send(exchange)).expectNextCount(1).expectComplete().verify(TIMEOUT);
		assertThat(circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(5 + accepted.get() + 1);
	}

	@Test
	void refusedMessagesDoNotOpenTheCircuit() {
		answer(() -> json(400, "{\"title\":\"Invalid XDM Message Format\"}"));
		ResilientExchange exchange = exchange();
		for (int i = 0; i < 20; i++) {
			StepVerifier.create(send(exchange)).expectError(StreamingValidationException.class).verify(TIMEOUT);
		}
		assertThat(circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(20);
	}

	@Test
	void rateLimitsOfAepDoNotOpenTheCircuit() {
		answer(() -> json(429, "{\"title\":\"Too Many Requests\"}"));
		ResilientExchange exchange = exchange();
		for (int i = 0; i < 20; i++) {
			StepVerifier.create(send(exchange)).expectError(StreamingRateLimitedException.class).verify(TIMEOUT);
		}
		assertThat(circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(20);
	}

	@Test
	void rateLimiterDelaysRequestsBeyondItsRateRatherThanFailingThem() {
		this.properties.getCircuitBreaker().setEnabled(false);
		this.properties.getRateLimit().setEnabled(true);
		this.properties.getRateLimit().setRequestsPerSecond(4);
		this.properties.getRateLimit().setMaxWait(Duration.ofSeconds(5));
		answer(AepTestServers::accepted);
		ResilientExchange exchange = exchange();
		long start = System.nanoTime();
		StepVerifier.create(Flux.range(0, 10).flatMap((i) -> send(exchange)))
			.expectNextCount(10)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(this.servers.streaming().requestCount()).isEqualTo(10);
	}

	@Test
	void rateLimiterFailsRequestsThatWouldWaitLongerThanItsMaximumWait() {
		this.properties.getCircuitBreaker().setEnabled(false);
		this.properties.getRateLimit().setEnabled(true);
		this.properties.getRateLimit().setRequestsPerSecond(2);
		this.properties.getRateLimit().setMaxWait(Duration.ofMillis(50));
		answer(AepTestServers::accepted);
		ResilientExchange exchange = exchange();
		List<Object> outcomes = Flux.range(0, 6)
			.flatMap((i) -> send(exchange).cast(Object.class).onErrorResume(Mono::just))
			.collectList()
			.block(TIMEOUT);
		List<Throwable> refused = outcomes.stream()
			.filter(Throwable.class::isInstance)
			.map(Throwable.class::cast)
			.toList();
		assertThat(refused).isNotEmpty()
			.allSatisfy((ex) -> assertThat(ex).isInstanceOf(StreamingRateLimitedException.class)
				.hasMessageContaining("aep.streaming.rate-limit.requests-per-second"));
		assertThat(this.servers.streaming().requestCount()).isEqualTo(outcomes.size() - refused.size());
	}

	private Mono<StreamingResult> send(ResilientExchange exchange) {
		return exchange.execute(() -> this.client.send(BODY, false));
	}

	private void answer(Supplier<MockResponse> response) {
		this.servers.streaming().respond((request) -> response.get());
	}

	private ResilientExchange exchange() {
		return new AepStreamingResilience(this.properties, "conn", List.of()).exchange(RetryRegistry.ofDefaults(),
				this.circuitBreakers, RateLimiterRegistry.ofDefaults());
	}

	private CircuitBreaker circuitBreaker() {
		return this.circuitBreakers.circuitBreaker("aep-streaming-conn");
	}

	private static StreamingHttpClient unauthenticatedClient(AepTestServers servers) {
		WebClient webClient = WebClient.builder()
			.baseUrl(servers.streaming().baseUrl())
			.clientConnector(AepTestServers.connector(Duration.ofSeconds(10)))
			.build();
		return new StreamingHttpClient(webClient, AepTestServers.jsonMapper(), AepTestServers.CONNECTION_ID,
				AepTestServers.SANDBOX, AepTestServers.FLOW_ID, Clock.systemUTC());
	}

}
