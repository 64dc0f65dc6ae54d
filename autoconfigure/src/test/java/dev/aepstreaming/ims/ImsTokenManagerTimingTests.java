package dev.aepstreaming.ims;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.security.oauth2.core.OAuth2AccessToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the timing decisions of {@link ImsTokenManager}: backoff, refresh jitter and
 * the end of a token's use, with a fetcher that answers at once or when a test says so.
 *
 * @author aep-streaming
 */
class ImsTokenManagerTimingTests {

	private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final double ALMOST_ONE = Math.nextDown(1.0);

	private final MutableClock clock = new MutableClock(START);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final Queue<Mono<OAuth2AccessToken>> answers = new ConcurrentLinkedQueue<>();

	private final AtomicInteger issued = new AtomicInteger();

	private volatile boolean failing;

	private final ImsTokenManager manager = new ImsTokenManager(this::nextAnswer, "test-client",
			"https://ims-na1.adobelogin.com/ims/token/v3");

	ImsTokenManagerTimingTests() {
		this.manager.setClock(this.clock);
		this.manager.setScheduler(this.scheduler);
		this.manager.setRandom(MockIms.fixedRandom(0.0));
	}

	@AfterEach
	void close() {
		this.manager.close();
		this.scheduler.dispose();
	}

	@Test
	void backoffDoublesFromTheInitialPauseUpToTheMaximum() {
		this.manager.setRandom(MockIms.fixedRandom(ALMOST_ONE));
		assertBackoffs(List.of(1, 2, 4, 8, 8, 8));
	}

	@Test
	void backoffIsJitteredDownToHalfThePause() {
		this.manager.setRandom(MockIms.fixedRandom(0.0));
		assertBackoffs(List.of(500, 1000, 2000, 4000, 4000).stream().map((millis) -> millis / 1000.0).toList());
	}

	@ParameterizedTest(name = "random {0}")
	@CsvSource({ "0.0, 300", "0.5, 330", "0.9999999999999999, 360" })
	void refreshIsJitteredUpToAFifthOfTheMarginEarlier(double random, long secondsBeforeExpiry) {
		this.manager.setRandom(MockIms.fixedRandom(random));
		this.manager.setRefreshBeforeExpiry(Duration.ofMinutes(5));
		ImsAccessToken first = getToken();
		Instant refreshAt = first.getExpiresAt().minusSeconds(secondsBeforeExpiry);
		this.clock.set(refreshAt.minusMillis(1));
		assertThat(getToken()).isSameAs(first);
		assertThat(this.manager.getTokenRequestCount()).isOne();
		this.clock.set(refreshAt.plusMillis(1));
		assertThat(getToken()).isSameAs(first);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		assertThat(this.manager.getCurrentToken()).get().isNotSameAs(first);
	}

	@ParameterizedTest(name = "expires_in {0} s")
	@CsvSource({ "86399, 30000", "100, 10000", "20, 2000" })
	void tokenIsNotHandedOutInTheLastTenthOfItsLifeAndAtMostThirtySeconds(long lifetime, long unusableMillis) {
		answerToken(lifetime);
		ImsAccessToken first = getToken();
		Instant usableUntil = first.getExpiresAt().minusMillis(unusableMillis);
		Sinks.One<OAuth2AccessToken> pending = Sinks.one();
		this.answers.add(pending.asMono());
		this.clock.set(usableUntil.minusMillis(1));
		assertThat(this.manager.getToken().toFuture()).isCompletedWithValue(first);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		this.clock.set(usableUntil);
		CompletableFuture<ImsAccessToken> waiting = this.manager.getToken().toFuture();
		assertThat(waiting).isNotDone();
		pending.tryEmitValue(accessToken(lifetime));
		assertThat(waiting).isCompleted();
		assertThat(waiting.join().getTokenValue()).isEqualTo("token-2");
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
	}

	@Test
	void callerThatInvalidatesTheNewTokenFromItsCallbackGetsAnotherOne() {
		answerToken(3600);
		answerToken(3600);
		ImsAccessToken renewed = this.manager.getToken().flatMap((first) -> {
			first.markAccepted();
			assertThat(this.manager.invalidate(first)).isTrue();
			return this.manager.getToken();
		}).block(TIMEOUT);
		assertThat(renewed.getTokenValue()).isEqualTo("token-2");
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
	}

	@Test
	void callerThatRetriesFromItsErrorCallbackAfterTheBackoffMakesANewRequest() {
		this.answers.add(Mono.error(new IOException("Connection refused")));
		answerToken(3600);
		ImsAccessToken token = this.manager.getToken().onErrorResume(ImsTokenException.class, (ex) -> {
			this.clock.advance(Duration.ofMinutes(1));
			return this.manager.getToken();
		}).block(TIMEOUT);
		assertThat(token.getTokenValue()).isEqualTo("token-1");
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
	}

	/**
	 * Fail every token request and check that each next attempt comes exactly after the
	 * given pauses (in seconds), with an initial pause of 1 s and a maximum of 8 s.
	 */
	private void assertBackoffs(List<? extends Number> pausesInSeconds) {
		this.manager.setInitialRetryBackoff(Duration.ofSeconds(1));
		this.manager.setMaxRetryBackoff(Duration.ofSeconds(8));
		this.failing = true;
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::getToken);
		long requests = 1;
		for (Number pause : pausesInSeconds) {
			Duration backoff = Duration.ofMillis(Math.round(pause.doubleValue() * 1000));
			this.clock.advance(backoff.minusMillis(1));
			assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::getToken);
			assertThat(this.manager.getTokenRequestCount()).as("requests before %s", backoff).isEqualTo(requests);
			this.clock.advance(Duration.ofMillis(1));
			assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::getToken)
				.satisfies((ex) -> assertThat(ex).hasMessageContaining("Connection refused")
					.hasMessageContaining("test-client"));
			assertThat(this.manager.getTokenRequestCount()).as("requests after %s", backoff).isEqualTo(++requests);
		}
	}

	private ImsAccessToken getToken() {
		return this.manager.getToken().block(TIMEOUT);
	}

	private void answerToken(long lifetimeSeconds) {
		this.answers.add(Mono.fromSupplier(() -> accessToken(lifetimeSeconds)));
	}

	/**
	 * Answer the next queued answer; when none is queued, a failure if the test asked for
	 * failures, else a token that lives a day.
	 */
	private Mono<OAuth2AccessToken> nextAnswer() {
		Mono<OAuth2AccessToken> answer = this.answers.poll();
		if (answer != null) {
			return answer;
		}
		return this.failing ? Mono.error(new IOException("Connection refused"))
				: Mono.fromSupplier(() -> accessToken(86399));
	}

	private OAuth2AccessToken accessToken(long lifetimeSeconds) {
		Instant issuedAt = Instant.now();
		return new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "token-" + this.issued.incrementAndGet(),
				issuedAt, issuedAt.plusSeconds(lifetimeSeconds));
	}

}
