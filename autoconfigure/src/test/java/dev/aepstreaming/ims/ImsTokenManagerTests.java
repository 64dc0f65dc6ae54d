package dev.aepstreaming.ims;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.test.MutableClock;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ImsTokenManager} against an IMS token endpoint on loopback, through
 * Spring Security's client-credentials chain. Time is the {@link MutableClock}'s; the
 * background timer runs on a virtual-time scheduler and fires only where a test says so.
 *
 * @author aep-streaming
 */
class ImsTokenManagerTests {

	private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);

	private static final int CALLERS = 200;

	private final MockIms ims = new MockIms();

	private final MutableClock clock = new MutableClock(START);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final ImsTokenManager manager = this.ims.tokenManager(this.clock, this.scheduler);

	@AfterEach
	void close() throws Exception {
		this.manager.close();
		this.scheduler.dispose();
		this.ims.close();
	}

	@Test
	void concurrentCallersOnAnEmptyCacheShareOneTokenRequest() throws Exception {
		this.ims.holdAnswers();
		List<CompletableFuture<ImsAccessToken>> callers = subscribeConcurrently(this.manager::getToken);
		assertThat(this.manager.getTokenRequestCount()).isOne();
		awaitUpTo().until(() -> this.ims.getTokenRequestCount() == 1);
		assertThat(callers).noneMatch(CompletableFuture::isDone);
		this.ims.releaseAnswers();
		List<ImsAccessToken> tokens = join(callers);
		assertThat(tokens).hasSize(CALLERS).allSatisfy((token) -> assertThat(token).isSameAs(tokens.get(0)));
		assertThat(tokens.get(0).getTokenValue()).isEqualTo(MockIms.tokenValue(1));
		assertThat(this.ims.getTokenRequestCount()).isOne();
		assertThat(this.manager.getTokenRequestCount()).isOne();
	}

	@Test
	void concurrentCallersAtExpiryShareOneTokenRequest() throws Exception {
		ImsAccessToken first = token();
		this.clock.set(first.getExpiresAt());
		this.ims.holdAnswers();
		List<CompletableFuture<ImsAccessToken>> callers = subscribeConcurrently(this.manager::getToken);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		awaitUpTo().until(() -> this.ims.getTokenRequestCount() == 2);
		assertThat(callers).noneMatch(CompletableFuture::isDone);
		this.ims.releaseAnswers();
		List<ImsAccessToken> tokens = join(callers);
		assertThat(tokens).allSatisfy((token) -> assertThat(token).isSameAs(tokens.get(0)));
		assertThat(tokens.get(0).getTokenValue()).isEqualTo(MockIms.tokenValue(2));
		assertThat(this.ims.getTokenRequestCount()).isEqualTo(2);
	}

	@Test
	void tokenInsideTheRefreshWindowIsAnsweredAtOnceAndRefreshedInTheBackground() {
		ImsAccessToken first = token();
		this.clock.set(refreshAt(first));
		this.ims.holdAnswers();
		assertThat(this.manager.getToken().toFuture()).isCompletedWithValue(first);
		awaitUpTo().until(() -> this.ims.getTokenRequestCount() == 2);
		for (int i = 0; i < 50; i++) {
			assertThat(this.manager.getToken().toFuture()).isCompletedWithValue(first);
		}
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		this.ims.releaseAnswers();
		awaitCurrentToken(2);
		assertThat(token().getTokenValue()).isEqualTo(MockIms.tokenValue(2));
		assertThat(this.ims.getTokenRequestCount()).isEqualTo(2);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
	}

	@Test
	void usableTokenIsTheCurrentOneUntilTheExpirySkewAndNoneAfterwards() {
		assertThat(this.manager.getUsableToken()).isEmpty();
		ImsAccessToken first = token();
		assertThat(this.manager.getUsableToken()).containsSame(first);
		this.ims.holdAnswers();
		// 30 seconds, the most a long-lived token is given up before its expiry
		this.clock.set(first.getExpiresAt().minusSeconds(30).minusMillis(1));
		assertThat(this.manager.getUsableToken()).containsSame(first);
		this.clock.set(first.getExpiresAt().minusSeconds(30));
		assertThat(this.manager.getUsableToken()).isEmpty();
		assertThat(this.manager.getCurrentToken()).containsSame(first);
		assertThat(this.ims.getTokenRequestCount()).as("reading the usable token requests none").isOne();
		this.ims.releaseAnswers();
	}

	@Test
	void noTokenRequestIsMadeBeforeTheRefreshWindow() {
		ImsAccessToken first = token();
		for (Instant at = START; at.isBefore(refreshAt(first)); at = at.plus(Duration.ofMinutes(7))) {
			this.clock.set(at);
			assertThat(token()).isSameAs(first);
		}
		this.clock.set(refreshAt(first).minusMillis(1));
		assertThat(token()).isSameAs(first);
		assertThat(this.manager.getTokenRequestCount()).isOne();
		assertThat(this.ims.getTokenRequestCount()).isOne();
	}

	@ParameterizedTest(name = "expires_in {0} s")
	@CsvSource({ "10, 7", "30, 7" })
	void shortLivedTokenIsRefreshedOncePerLifetimeLessMarginRatherThanPerCall(long expiresIn, int expectedRequests) {
		this.ims.answerTokens(expiresIn);
		this.manager.setRefreshBeforeExpiry(REFRESH_BEFORE_EXPIRY);
		Duration lifetime = Duration.ofSeconds(expiresIn);
		// The margin is a quarter of the lifetime, not the 5 minutes configured; without
		// jitter, a token obtained at t is replaced at t + 3/4 lifetime, and clock steps
		// of
		// 500 ms hit those instants exactly (7.5 s and 22.5 s).
		Duration refreshEvery = lifetime.minus(lifetime.dividedBy(4));
		Duration span = lifetime.multipliedBy(5);
		Duration step = Duration.ofMillis(500);
		Duration skew = lifetime.dividedBy(10);
		int calls = 0;
		for (Duration elapsed = Duration.ZERO; elapsed.compareTo(span) <= 0; elapsed = elapsed.plus(step)) {
			this.clock.set(START.plus(elapsed));
			for (int i = 0; i < 20; i++) {
				ImsAccessToken token = token();
				calls++;
				assertThat(this.clock.instant()).isBefore(token.getExpiresAt().minus(skew));
			}
			awaitCurrentToken((int) this.manager.getTokenRequestCount());
		}
		assertThat(expectedRequests).isEqualTo(1 + span.dividedBy(refreshEvery));
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(expectedRequests);
		assertThat(this.ims.getTokenRequestCount()).isEqualTo(expectedRequests);
		assertThat(calls).isEqualTo(20 * (span.dividedBy(step) + 1));
	}

	@Test
	void currentTokenIsServedWhileImsFailsAndRefreshIsRetriedAfterTheBackoff() {
		this.manager.setInitialRetryBackoff(Duration.ofSeconds(1));
		ImsAccessToken first = token();
		this.ims.answer(503, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"try later\"}");
		this.clock.set(refreshAt(first));
		assertStaleTokenServedThroughFailingRefreshes(first);
	}

	@Test
	void currentTokenIsServedWhileImsTimesOutAndRefreshIsRetriedAfterTheBackoff() {
		this.manager.setInitialRetryBackoff(Duration.ofSeconds(1));
		this.manager.setTokenRequestTimeout(Duration.ofMillis(200));
		ImsAccessToken first = token();
		this.ims.answerNothing();
		this.clock.set(refreshAt(first));
		assertStaleTokenServedThroughFailingRefreshes(first);
	}

	@Test
	void callersFailWhenImsIsStillFailingAfterTheTokenIsPastItsUsableEnd() {
		ImsAccessToken first = token();
		this.ims.answer(503, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"try later\"}");
		this.clock.set(refreshAt(first));
		assertThat(token()).isSameAs(first);
		awaitNewFailure(null);
		this.clock.set(first.getExpiresAt().minusSeconds(30));
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::token)
			.satisfies(ImsTokenManagerTests::assertImsUnreachableOrFailing)
			.withMessageContaining("temporarily_unavailable");
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(3);
	}

	@Test
	void callersFailWhenImsIsStillTimingOutAfterTheTokenIsPastItsUsableEnd() {
		this.manager.setTokenRequestTimeout(Duration.ofMillis(200));
		ImsAccessToken first = token();
		this.ims.answerNothing();
		this.clock.set(refreshAt(first));
		assertThat(token()).isSameAs(first);
		awaitNewFailure(null);
		this.clock.set(first.getExpiresAt().minusSeconds(30));
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::token)
			.satisfies(ImsTokenManagerTests::assertImsUnreachableOrFailing)
			.withMessageContaining("did not answer within 200 ms");
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(3);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { "invalid_client|invalid client_secret parameter",
			"invalid_scope|scope read_pc.dma_tartan is not allowed for this client" })
	void credentialRejectedByImsIsReportedWithClientIdAndImsDescription(String error, String description) {
		this.ims.answer(400, "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::token).satisfies((ex) -> {
			assertThat(ex.isCredentialRejected()).isTrue();
			assertThat(ex.isRetryable()).isFalse();
			assertThat(ex.getImsError()).isEqualTo(error);
			assertThat(ex.getMessage()).contains(MockIms.CLIENT_ID).contains(description);
			assertNoSecretIn(ex);
		});
	}

	@Test
	void rejectedCredentialIsTriedAgainOnlyAfterTheMaximumBackoff() {
		Duration maxRetryBackoff = Duration.ofMinutes(1);
		this.manager.setMaxRetryBackoff(maxRetryBackoff);
		this.ims.answer(400,
				"{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret parameter\"}");
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::token);
		for (int second = 0; second < 60; second++) {
			this.clock.set(START.plusSeconds(second));
			for (int i = 0; i < 20; i++) {
				assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::token)
					.satisfies((ex) -> assertThat(ex.isCredentialRejected()).isTrue());
			}
		}
		this.clock.set(START.plus(maxRetryBackoff).minusMillis(1));
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::token);
		assertThat(this.manager.getTokenRequestCount()).isOne();
		assertThat(this.ims.getTokenRequestCount()).isOne();
		this.ims.answerTokens(86399);
		this.clock.set(START.plus(maxRetryBackoff));
		assertThat(token().getTokenValue()).isEqualTo(MockIms.tokenValue(2));
		assertThat(this.ims.getTokenRequestCount()).isEqualTo(2);
	}

	@Test
	void invalidatingAReplacedTokenKeepsTheNewerTokenAndRequestsNone() {
		ImsAccessToken first = token();
		first.markAccepted();
		this.clock.set(refreshAt(first));
		token();
		ImsAccessToken second = awaitCurrentToken(2);
		assertThat(this.manager.invalidate(first)).isTrue();
		assertThat(token()).isSameAs(second);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		assertThat(this.ims.getTokenRequestCount()).isEqualTo(2);
	}

	@Test
	void invalidatingTheCurrentAcceptedTokenMakesOneRequestForConcurrentCallers() throws Exception {
		ImsAccessToken first = token();
		first.markAccepted();
		this.ims.holdAnswers();
		List<Boolean> retryable = new CopyOnWriteArrayList<>();
		Supplier<Mono<ImsAccessToken>> invalidateAndGet = () -> {
			retryable.add(this.manager.invalidate(first));
			return this.manager.getToken();
		};
		List<CompletableFuture<ImsAccessToken>> callers = subscribeConcurrently(invalidateAndGet);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		awaitUpTo().until(() -> this.ims.getTokenRequestCount() == 2);
		assertThat(callers).noneMatch(CompletableFuture::isDone);
		this.ims.releaseAnswers();
		List<ImsAccessToken> tokens = join(callers);
		assertThat(tokens).allSatisfy((token) -> assertThat(token).isSameAs(tokens.get(0)));
		assertThat(tokens.get(0).getTokenValue()).isEqualTo(MockIms.tokenValue(2));
		// Late callers, still holding the refused token, must not drop the new one.
		List<ImsAccessToken> late = join(subscribeConcurrently(invalidateAndGet));
		assertThat(late).allSatisfy((token) -> assertThat(token).isSameAs(tokens.get(0)));
		assertThat(retryable).hasSize(2 * CALLERS).containsOnly(true);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		assertThat(this.ims.getTokenRequestCount()).isEqualTo(2);
	}

	@Test
	void youngTokensThatWereNeverAcceptedAreReplacedAtMostOncePerMinimumReauthenticationInterval() {
		this.manager.setMinReauthenticationInterval(Duration.ofSeconds(10));
		ImsAccessToken first = token();
		this.clock.set(START.plusSeconds(1));
		assertThat(this.manager.invalidate(first)).as("a token revoked before its first use").isTrue();
		ImsAccessToken second = token();
		assertThat(second.getTokenValue()).isEqualTo(MockIms.tokenValue(2));
		this.clock.set(START.plusSeconds(11).minusMillis(1));
		assertThat(this.manager.invalidate(second)).isFalse();
		assertThat(token()).isSameAs(second);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		this.clock.set(START.plusSeconds(11));
		assertThat(this.manager.invalidate(second)).isTrue();
		assertThat(token().getTokenValue()).isEqualTo(MockIms.tokenValue(3));
		assertThat(this.ims.getTokenRequestCount()).isEqualTo(3);
	}

	@Test
	void tokenRequestCountCountsEveryRequestSentToIms() {
		assertThat(this.manager.getTokenRequestCount()).isZero();
		ImsAccessToken first = token();
		assertThat(this.manager.getTokenRequestCount()).isOne();
		first.markAccepted();
		this.manager.invalidate(first);
		this.ims.answer(500, "{\"error\":\"server_error\"}");
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(this::token);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		this.ims.answerTokens(86399);
		this.clock.advance(Duration.ofMinutes(1));
		token();
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(3).isEqualTo(this.ims.getTokenRequestCount());
	}

	@Test
	void backgroundTimerRefreshesTheTokenWithoutAnyCaller() {
		ImsAccessToken first = token();
		this.clock.set(refreshAt(first));
		this.scheduler.advanceTimeBy(Duration.between(START, refreshAt(first)));
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		awaitCurrentToken(2);
		assertThat(this.ims.getTokenRequestCount()).isEqualTo(2);
	}

	@Test
	void closeStopsTheBackgroundTimer() {
		ImsAccessToken first = token();
		this.manager.close();
		this.clock.set(refreshAt(first));
		this.scheduler.advanceTimeBy(Duration.between(START, first.getExpiresAt()));
		assertThat(this.manager.getTokenRequestCount()).isOne();
		assertThat(this.manager.getCurrentToken()).containsSame(first);
		assertThat(this.ims.getTokenRequestCount()).isOne();
	}

	/**
	 * In the refresh window IMS fails: the current token is served, the next attempt
	 * waits for the backoff (the random generator answers 0, so the 1 s and 2 s pauses
	 * are halved to 500 ms and 1 s), and once IMS recovers the new token takes over.
	 */
	private void assertStaleTokenServedThroughFailingRefreshes(ImsAccessToken first) {
		assertThat(token()).isSameAs(first);
		ImsTokenException failure = awaitNewFailure(null);
		assertThat(failure.isCredentialRejected()).isFalse();
		assertServedWithoutRequest(first, 20, Duration.ofMillis(499));
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(2);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(token()).isSameAs(first);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(3);
		awaitNewFailure(failure.getCause());
		assertServedWithoutRequest(first, 20, Duration.ofMillis(999));
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(3);
		this.ims.answerTokens(86399);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(token()).isSameAs(first);
		awaitCurrentToken(4);
		assertThat(token().getTokenValue()).isEqualTo(MockIms.tokenValue(4));
		assertThat(this.manager.getLastFailure()).isEmpty();
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(4).isEqualTo(this.ims.getTokenRequestCount());
	}

	private void assertServedWithoutRequest(ImsAccessToken expected, int steps, Duration span) {
		long requests = this.manager.getTokenRequestCount();
		Duration step = span.dividedBy(steps);
		for (int i = 0; i < steps; i++) {
			this.clock.advance(step);
			assertThat(token()).isSameAs(expected);
		}
		this.clock.advance(span.minus(step.multipliedBy(steps)));
		assertThat(token()).isSameAs(expected);
		assertThat(this.manager.getTokenRequestCount()).isEqualTo(requests);
	}

	private static ConditionFactory awaitUpTo() {
		return await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
	}

	private ImsAccessToken token() {
		return this.manager.getToken().block(TIMEOUT);
	}

	private ImsAccessToken awaitCurrentToken(int number) {
		awaitUpTo().until(() -> this.manager.getCurrentToken()
			.filter((token) -> token.getTokenValue().equals(MockIms.tokenValue(number)))
			.isPresent());
		return this.manager.getCurrentToken().orElseThrow();
	}

	/**
	 * Wait until the manager has recorded a failed token request other than the one whose
	 * cause is given.
	 */
	private ImsTokenException awaitNewFailure(Throwable previousCause) {
		awaitUpTo().until(() -> this.manager.getLastFailure()
			.filter((failure) -> failure.getCause() != previousCause)
			.isPresent());
		return this.manager.getLastFailure().orElseThrow();
	}

	private static List<CompletableFuture<ImsAccessToken>> subscribeConcurrently(Supplier<Mono<ImsAccessToken>> caller)
			throws InterruptedException {
		ExecutorService executor = Executors.newFixedThreadPool(CALLERS);
		try {
			CountDownLatch start = new CountDownLatch(1);
			CountDownLatch subscribed = new CountDownLatch(CALLERS);
			List<CompletableFuture<ImsAccessToken>> futures = new CopyOnWriteArrayList<>();
			for (int i = 0; i < CALLERS; i++) {
				executor.execute(() -> {
					try {
						if (start.await(10, TimeUnit.SECONDS)) {
							futures.add(caller.get().toFuture());
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					finally {
						subscribed.countDown();
					}
				});
			}
			start.countDown();
			assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(futures).hasSize(CALLERS);
			return futures;
		}
		finally {
			executor.shutdown();
		}
	}

	private static List<ImsAccessToken> join(List<CompletableFuture<ImsAccessToken>> futures) throws Exception {
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		List<ImsAccessToken> tokens = new ArrayList<>();
		for (CompletableFuture<ImsAccessToken> future : futures) {
			tokens.add(future.join());
		}
		return tokens;
	}

	/**
	 * Return when a token obtained without jitter enters its refresh window.
	 */
	private static Instant refreshAt(ImsAccessToken token) {
		return token.getExpiresAt().minus(REFRESH_BEFORE_EXPIRY);
	}

	private static void assertImsUnreachableOrFailing(ImsTokenException ex) {
		assertThat(ex.isCredentialRejected()).isFalse();
		assertThat(ex.isRetryable()).isTrue();
		assertThat(ex.getMessage()).contains("IMS is unreachable or failing").contains(MockIms.CLIENT_ID);
		assertNoSecretIn(ex);
	}

	/**
	 * Assert that no message in the exception's chain shows the client secret or a token.
	 */
	static void assertNoSecretIn(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(MockIms.CLIENT_SECRET)
				.doesNotContain(MockIms.TOKEN_PREFIX);
			assertThat(cause.toString()).doesNotContain(MockIms.CLIENT_SECRET).doesNotContain(MockIms.TOKEN_PREFIX);
		}
	}

}
