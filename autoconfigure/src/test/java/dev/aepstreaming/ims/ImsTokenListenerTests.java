package dev.aepstreaming.ims;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.test.MutableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for what an {@link ImsTokenManager} reports to its {@link ImsTokenListener}s,
 * against an IMS token endpoint on loopback.
 *
 * @author aep-streaming
 */
class ImsTokenListenerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final MockIms ims = new MockIms();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final ImsTokenManager manager = this.ims.tokenManager(this.clock, this.scheduler);

	private final Queue<Completed> completed = new ConcurrentLinkedQueue<>();

	@AfterEach
	void close() throws Exception {
		this.manager.close();
		this.scheduler.dispose();
		this.ims.close();
	}

	@Test
	void tokenRequestIsReportedOnceAndCachedTokensAreNot() {
		this.manager.addListener(this::record);
		for (int i = 0; i < 5; i++) {
			this.manager.getToken().block(TIMEOUT);
		}
		assertThat(completed()).singleElement().satisfies((request) -> {
			assertThat(request.duration()).isPositive();
			assertThat(request.failure()).isNull();
		});
	}

	@Test
	void rejectedCredentialIsReportedAsRejected() {
		this.manager.addListener(this::record);
		this.ims.answer(400,
				"{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret parameter\"}");
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> this.manager.getToken().block(TIMEOUT));
		assertThat(completed()).singleElement().satisfies((request) -> {
			assertThat(request.failure()).isNotNull();
			assertThat(request.failure().isCredentialRejected()).isTrue();
			assertThat(request.failure().getImsError()).isEqualTo("invalid_client");
			ImsTokenManagerTests.assertNoSecretIn(request.failure());
		});
	}

	@Test
	void failingImsIsReportedAsAFailureThatIsNotARejection() {
		this.manager.addListener(this::record);
		this.ims.answer(503, "{\"error\":\"temporarily_unavailable\"}");
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> this.manager.getToken().block(TIMEOUT));
		assertThat(completed()).singleElement().satisfies((request) -> {
			assertThat(request.failure()).isNotNull();
			assertThat(request.failure().isCredentialRejected()).isFalse();
			assertThat(request.failure().isRetryable()).isTrue();
		});
	}

	@Test
	void tokenRequestThatTimesOutIsReportedOnce() {
		this.manager.setTokenRequestTimeout(Duration.ofMillis(200));
		this.manager.addListener(this::record);
		this.ims.answerNothing();
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> this.manager.getToken().block(TIMEOUT))
			.withMessageContaining("did not answer within 200 ms");
		assertThat(completed()).singleElement().satisfies((request) -> {
			assertThat(request.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
			assertThat(request.failure()).isNotNull();
			assertThat(request.failure().isCredentialRejected()).isFalse();
		});
	}

	@Test
	void listenerThatThrowsDoesNotBreakTheTokenRequestOrTheOtherListeners() {
		this.manager.addListener((duration, failure) -> {
			throw new IllegalStateException("metrics backend down");
		});
		this.manager.addListener(this::record);
		assertThat(this.manager.getToken().block(TIMEOUT).getTokenValue()).isEqualTo(MockIms.tokenValue(1));
		assertThat(completed()).hasSize(1);
		assertThat(this.manager.getLastFailure()).isEmpty();
	}

	private void record(Duration duration, @Nullable ImsTokenException failure) {
		this.completed.add(new Completed(duration, failure));
	}

	private List<Completed> completed() {
		return List.copyOf(this.completed);
	}

	record Completed(Duration duration, @Nullable ImsTokenException failure) {

	}

}
