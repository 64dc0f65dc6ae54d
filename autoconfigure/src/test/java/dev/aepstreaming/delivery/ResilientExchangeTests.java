package dev.aepstreaming.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.PayloadTooLargeException;
import dev.aepstreaming.StreamingAuthenticationException;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.ims.ImsTokenManager;
import dev.aepstreaming.test.MutableClock;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.web.reactive.function.client.WebClient;

import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.accepted;
import static dev.aepstreaming.AepTestServers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ResilientExchange} against a streaming server on loopback. Pauses
 * between attempts are measured in virtual time: Resilience4j's reactor retry waits with
 * {@code Mono.delay} on the parallel scheduler, which the {@link VirtualTimeScheduler}
 * replaces. The client's response timeout is armed on that scheduler too, once per
 * attempt sent, so the scheduled tasks are the pauses plus the attempts.
 *
 * @author aep-streaming
 */
class ResilientExchangeTests {

	private static final byte[] BODY = AepTestServers.writer(AepTestServers.envelopeSettings())
		.write(StreamingMessage.xdm(Map.of("_id", "evt-1")));

	private AepTestServers servers;

	private StreamingHttpClient client;

	private final AtomicInteger attempts = new AtomicInteger();

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
		this.client = unauthenticatedClient(this.servers);
	}

	@AfterEach
	void stopServers() {
		VirtualTimeScheduler.reset();
		this.servers.close();
	}

	@Test
	void retryAfterOfA503IsWaitedEvenWhenTheBackoffIsShorter() throws Exception {
		VirtualTimeScheduler scheduler = VirtualTimeScheduler.getOrSet();
		answer((n) -> (n == 1) ? json(503, "{}").setHeader("Retry-After", "7") : accepted());
		ResilientExchange exchange = exchange(retry(5,
				new RetryBackoff(Duration.ofMillis(10), Duration.ofMillis(10), 2.0, fixedJitter(Math.nextDown(1.0)))),
				16, Clock.systemUTC());
		CompletableFuture<StreamingResult> result = send(exchange);
		awaitScheduledPauses(scheduler, 1);
		scheduler.advanceTimeBy(Duration.ofMillis(6_999));
		assertThat(this.attempts).hasValue(1);
		scheduler.advanceTimeBy(Duration.ofMillis(1));
		assertThat(this.attempts).hasValue(2);
		assertThat(result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(2);
	}

	@Test
	void rateLimitWithoutRetryAfterIsRetriedWithExponentialBackoff() throws Exception {
		VirtualTimeScheduler scheduler = VirtualTimeScheduler.getOrSet();
		answer((n) -> (n <= 3) ? json(429, "{}") : accepted());
		ResilientExchange exchange = exchange(
				retry(5, new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0, fixedJitter(0.0))), 16,
				Clock.systemUTC());
		CompletableFuture<StreamingResult> result = send(exchange);
		long[] pausesInMillis = { 500, 1_000, 2_000 };
		for (int retry = 0; retry < pausesInMillis.length; retry++) {
			awaitScheduledPauses(scheduler, retry + 1);
			scheduler.advanceTimeBy(Duration.ofMillis(pausesInMillis[retry] - 1));
			assertThat(this.attempts).hasValue(retry + 1);
			scheduler.advanceTimeBy(Duration.ofMillis(1));
			assertThat(this.attempts).hasValue(retry + 2);
		}
		assertThat(result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(4);
	}

	@Test
	void invalidMessageIsSentExactlyOnce() {
		answer((n) -> json(400, "{\"title\":\"Invalid XDM Message Format\",\"report\":{\"message\":\"bad\"}}"));
		StepVerifier.create(exchange(retry(5, shortBackoff()), 16, Clock.systemUTC()).execute(this::sendOnce))
			.expectError(StreamingValidationException.class)
			.verify(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(1);
	}

	@Test
	void payloadTooLargeIsSentExactlyOnce() {
		answer((n) -> json(413, "{\"title\":\"Payload Too Large\"}"));
		StepVerifier.create(exchange(retry(5, shortBackoff()), 16, Clock.systemUTC()).execute(this::sendOnce))
			.expectError(PayloadTooLargeException.class)
			.verify(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(1);
	}

	@Test
	void refusedTokenIsRenewedOnceByTheTokenFilterAndNotRetriedHere() {
		answer((n) -> AepTestServers.refused(401));
		ImsTokenManager tokenManager = this.servers.tokenManager();
		tokenManager.setMinReauthenticationInterval(Duration.ZERO);
		StreamingHttpClient client = this.servers.client(tokenManager, null, Clock.systemUTC());
		ResilientExchange exchange = exchange(retry(5, shortBackoff()), 16, Clock.systemUTC());
		StepVerifier.create(exchange.execute(() -> client.send(BODY, false)))
			.expectError(StreamingAuthenticationException.class)
			.verify(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(2);
		assertThat(this.servers.ims().requestCount()).isEqualTo(2);
	}

	@Test
	void retriesEndAfterTheMaximumNumberOfAttempts() {
		answer((n) -> json(503, "{}"));
		StepVerifier.create(exchange(retry(3, shortBackoff()), 16, Clock.systemUTC()).execute(this::sendOnce))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamingServerException.class,
					(server) -> assertThat(server.getStatusCode()).isEqualTo(503)))
			.verify(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(3);
	}

	@Test
	void retriesEndOnceTheTimeAllowedHasRunOut() {
		MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
		answer((n) -> {
			clock.advance(Duration.ofSeconds(10));
			return json(503, "{}");
		});
		ResilientExchange exchange = new ResilientExchange("conn", retry(10, shortBackoff()), null, null, 16,
				Duration.ofSeconds(25), clock);
		StepVerifier.create(exchange.execute(this::sendOnce))
			.expectError(StreamingServerException.class)
			.verify(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(3);
	}

	@Test
	void noAttemptStartsAfterTheTimeAllowedWhenTheBackoffRunsPastIt() {
		VirtualTimeScheduler scheduler = VirtualTimeScheduler.getOrSet();
		answer((n) -> json(503, "{}"));
		RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5), 2.0,
				fixedJitter(Math.nextDown(1.0)));
		ResilientExchange exchange = new ResilientExchange("conn", retry(5, backoff), null, null, 16,
				Duration.ofSeconds(1), virtualClock(scheduler));
		CompletableFuture<StreamingResult> result = send(exchange);
		awaitScheduledPauses(scheduler, 1);
		scheduler.advanceTimeBy(Duration.ofSeconds(5));
		assertThat(result).failsWithin(TIMEOUT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(StreamingServerException.class);
		assertThat(this.attempts).hasValue(1);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(1);
	}

	@Test
	void retryAfterBeyondTheTimeAllowedEndsTheRetriesAtOnce() {
		answer((n) -> json(503, "{}").setHeader("Retry-After", "30"));
		ResilientExchange exchange = new ResilientExchange("conn", retry(10, shortBackoff()), null, null, 16,
				Duration.ofSeconds(25), Clock.systemUTC());
		StepVerifier.create(exchange.execute(this::sendOnce))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamingServerException.class,
					(server) -> assertThat(server.getRetryAfter()).hasValue(Duration.ofSeconds(30))))
			.verify(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(1);
	}

	@Test
	void serverNeverSeesMoreRequestsAtOnceThanTheInFlightCap() {
		AtomicInteger concurrent = new AtomicInteger();
		AtomicInteger highest = new AtomicInteger();
		answer((n) -> {
			highest.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			concurrent.decrementAndGet();
			return accepted();
		});
		ResilientExchange exchange = exchange(null, 4, Clock.systemUTC());
		StepVerifier.create(Flux.range(0, 20).flatMap((i) -> exchange.execute(this::sendOnce), 20))
			.expectNextCount(20)
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(highest).hasValue(4);
		assertThat(exchange.getInFlight()).isZero();
	}

	private CompletableFuture<StreamingResult> send(ResilientExchange exchange) {
		return exchange.execute(this::sendOnce).toFuture();
	}

	private Mono<StreamingResult> sendOnce() {
		this.attempts.incrementAndGet();
		return this.client.send(BODY, false);
	}

	private void answer(IntFunction<MockResponse> answers) {
		AtomicInteger requests = new AtomicInteger();
		this.servers.streaming().respond((request) -> answers.apply(requests.incrementAndGet()));
	}

	private void awaitScheduledPauses(VirtualTimeScheduler scheduler, int count) {
		await().atMost(TIMEOUT).until(() -> scheduler.getScheduledTaskCount() >= count + this.attempts.get());
		assertThat(scheduler.getScheduledTaskCount()).isEqualTo(count + this.attempts.get());
	}

	private static ResilientExchange exchange(Retry retry, int maxInFlight, Clock clock) {
		return new ResilientExchange("conn", retry, null, null, maxInFlight, Duration.ofMinutes(1), clock);
	}

	private static Retry retry(int maxAttempts, RetryBackoff backoff) {
		return Retry.of("test",
				RetryConfig.custom()
					.maxAttempts(maxAttempts)
					.intervalBiFunction(backoff)
					.retryOnException((ex) -> ex instanceof AepStreamingException failure && failure.isRetryable())
					.build());
	}

	private static RetryBackoff shortBackoff() {
		return new RetryBackoff(Duration.ofMillis(1), Duration.ofMillis(2), 2.0);
	}

	private static StreamingHttpClient unauthenticatedClient(AepTestServers servers) {
		WebClient webClient = WebClient.builder()
			.baseUrl(servers.streaming().baseUrl())
			.clientConnector(AepTestServers.connector(Duration.ofSeconds(10)))
			.build();
		return new StreamingHttpClient(webClient, AepTestServers.jsonMapper(), AepTestServers.CONNECTION_ID,
				AepTestServers.SANDBOX, AepTestServers.FLOW_ID, Clock.systemUTC());
	}

	/**
	 * A clock that reads the virtual time, so that the time allowed for retries runs out
	 * as the pauses between them pass.
	 */
	private static Clock virtualClock(VirtualTimeScheduler scheduler) {
		return new Clock() {

			@Override
			public Instant instant() {
				return Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS));
			}

			@Override
			public ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(ZoneId zone) {
				return this;
			}

		};
	}

	private static RandomGenerator fixedJitter(double value) {
		return new RandomGenerator() {

			@Override
			public long nextLong() {
				throw new UnsupportedOperationException();
			}

			@Override
			public double nextDouble() {
				return value;
			}

		};
	}

}
