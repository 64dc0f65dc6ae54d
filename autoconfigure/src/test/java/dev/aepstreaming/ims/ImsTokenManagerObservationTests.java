package dev.aepstreaming.ims;

import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.test.MutableClock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for the observations of an {@link ImsTokenManager}, against an IMS token endpoint
 * on loopback.
 *
 * @author aep-streaming
 */
class ImsTokenManagerObservationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final MockIms ims = new MockIms();

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final ImsTokenManager manager = this.ims.tokenManager(this.clock, this.scheduler);

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final Queue<Observation.Context> stopped = new ConcurrentLinkedQueue<>();

	@BeforeEach
	void observe() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				ImsTokenManagerObservationTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		this.manager.setObservationRegistry(this.registry);
	}

	@AfterEach
	void close() throws Exception {
		this.manager.close();
		this.scheduler.dispose();
		this.ims.close();
	}

	@Test
	void tokenRequestIsOneStoppedObservationAndCachedTokensAreNone() {
		this.manager.setCredentialName("orders");
		for (int i = 0; i < 3; i++) {
			this.manager.getToken().block(TIMEOUT);
		}
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("aep.streaming.token.request", 1)
			.hasObservationWithNameEqualTo("aep.streaming.token.request")
			.that()
			.hasContextualNameEqualTo("token request orders")
			.hasLowCardinalityKeyValue("aep.streaming.credential", "orders")
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasBeenStarted()
			.hasBeenStopped()
			.doesNotHaveError();
	}

	@Test
	void rejectedCredentialIsAnObservationWithOutcomeRejectedAndTheError() {
		this.ims.answer(400,
				"{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret parameter\"}");
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> this.manager.getToken().block(TIMEOUT));
		assertThat(this.registry).hasObservationWithNameEqualTo("aep.streaming.token.request")
			.that()
			.hasLowCardinalityKeyValue("aep.streaming.credential", "default")
			.hasLowCardinalityKeyValue("outcome", "rejected")
			.hasBeenStopped()
			.assertThatError()
			.isInstanceOfSatisfying(ImsTokenException.class, (ex) -> assertThat(ex.isCredentialRejected()).isTrue());
	}

	@Test
	void failingImsIsAnObservationWithOutcomeFailed() {
		this.ims.answer(503, "{\"error\":\"temporarily_unavailable\"}");
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> this.manager.getToken().block(TIMEOUT));
		assertThat(this.registry).hasObservationWithNameEqualTo("aep.streaming.token.request")
			.that()
			.hasLowCardinalityKeyValue("outcome", "failed")
			.hasError();
	}

	@Test
	void observationOfTheCallerThatStartedTheRequestIsTheParent() {
		Observation caller = Observation.start("caller", this.registry);
		this.manager.getToken().contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, caller)).block(TIMEOUT);
		caller.stop();
		assertThat(this.registry).hasObservationWithNameEqualTo("aep.streaming.token.request")
			.that()
			.hasParentObservationEqualTo(caller);
	}

	@Test
	void noKeyValueShowsTheTokenTheClientSecretOrTheClientId() {
		this.manager.getToken().block(TIMEOUT);
		this.ims.answer(400,
				"{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret parameter\"}");
		this.manager.invalidate(this.manager.getCurrentToken().orElseThrow());
		assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> this.manager.getToken().block(TIMEOUT));
		assertThat(this.stopped).hasSize(2);
		assertThat(this.stopped.stream().flatMap((context) -> context.getAllKeyValues().stream())).isNotEmpty()
			.allSatisfy((keyValue) -> assertThat(keyValue.getValue()).doesNotContain(MockIms.TOKEN_PREFIX)
				.doesNotContain(MockIms.CLIENT_SECRET)
				.doesNotContain(MockIms.CLIENT_ID));
	}

}
