package dev.aepstreaming.autoconfigure.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.autoconfigure.AepStreamingConnections;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.delivery.DeliveryListener;
import dev.aepstreaming.ims.ImsAccessToken;
import dev.aepstreaming.ims.ImsTokenListener;
import dev.aepstreaming.ims.ImsTokenManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Binds the meters of every streaming connection and every IMS credential to a registry.
 * Meters of a connection are tagged {@code connection} with the connection's name
 * ({@code default} for the top-level one); meters of a credential are tagged
 * {@code credential} with the name of the first connection that uses it, the one whose
 * configuration defines it. No meter is tagged with a token, a secret, a payload or an
 * event id.
 * <ul>
 * <li>{@code aep.streaming.events} (counter, events): messages that reached their end,
 * tagged {@code outcome} ({@code acknowledged} or {@code failed}) and {@code status} (the
 * class of the HTTP status AEP gave them, {@code 2xx}, {@code 4xx}, {@code 5xx}, …, or
 * {@code none} without one).</li>
 * <li>{@code aep.streaming.requests} (timer): every HTTP request attempt to the streaming
 * endpoint, tagged {@code kind} ({@code single} or {@code batch}), {@code outcome}
 * ({@code success} or {@code failure}) and {@code status}.</li>
 * <li>{@code aep.streaming.batch.size} (distribution summary, events): the messages of
 * each batch request attempt.</li>
 * <li>{@code aep.streaming.retries} (counter): requests sent again after a retryable
 * failure.</li>
 * <li>{@code aep.streaming.buffer.occupancy} and {@code aep.streaming.buffer.capacity}
 * (gauges, events): messages accepted and not yet delivered, and the most the buffer
 * holds.</li>
 * <li>{@code aep.streaming.token.requests} (timer): token requests to IMS, tagged
 * {@code credential} and {@code outcome} ({@code success}, {@code rejected} when IMS
 * refused the credential, {@code failed} otherwise).</li>
 * <li>{@code aep.streaming.token.expiry} (gauge, seconds): the time until the current
 * token of a credential expires, {@code 0} without one or once it has expired.</li>
 * </ul>
 * The gauges hold their engine and token manager by a weak reference only, as
 * Micrometer's gauges do by default.
 *
 * @author aep-streaming
 */
public final class AepStreamingMeterBinder implements MeterBinder {

	private static final String[] STATUS_CLASSES = { "none", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx", "7xx", "8xx",
			"9xx" };

	private final AepStreamingConnections connections;

	private final Clock clock;

	/**
	 * Create a new binder that reads the time from the system clock in UTC.
	 * @param connections the connections to instrument
	 */
	public AepStreamingMeterBinder(AepStreamingConnections connections) {
		this(connections, Clock.systemUTC());
	}

	/**
	 * Create a new binder.
	 * @param connections the connections to instrument
	 * @param clock the clock that token expiry is measured against
	 */
	public AepStreamingMeterBinder(AepStreamingConnections connections, Clock clock) {
		Assert.notNull(connections, "'connections' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.connections = connections;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Map<ImsTokenManager, String> credentials = new IdentityHashMap<>();
		for (AepStreamingConnections.Connection connection : this.connections.getConnections()) {
			bindConnection(registry, connection.name(), connection.deliveryEngine());
			ImsTokenManager tokenManager = connection.tokenManager();
			if (tokenManager != null && !credentials.containsKey(tokenManager)) {
				credentials.put(tokenManager, connection.name());
				bindCredential(registry, connection.name(), tokenManager, this.clock);
			}
		}
	}

	private static void bindConnection(MeterRegistry registry, String name, DeliveryEngine engine) {
		Gauge.builder("aep.streaming.buffer.occupancy", engine, DeliveryEngine::getBufferedCount)
			.description("Messages accepted and not yet delivered or failed")
			.baseUnit("events")
			.tag("connection", name)
			.register(registry);
		Gauge.builder("aep.streaming.buffer.capacity", engine, DeliveryEngine::getBufferCapacity)
			.description("The most messages the delivery buffer holds")
			.baseUnit("events")
			.tag("connection", name)
			.register(registry);
		engine.addListener(new DeliveryMeters(registry, name));
	}

	/**
	 * Bind the meters of a credential. The gauge's function is static and holds the clock
	 * only, so that the gauge keeps no strong reference to the token manager.
	 */
	private static void bindCredential(MeterRegistry registry, String name, ImsTokenManager tokenManager, Clock clock) {
		Gauge.builder("aep.streaming.token.expiry", tokenManager, (manager) -> secondsUntilExpiry(manager, clock))
			.description("Time until the current IMS access token expires, 0 without a valid one")
			.baseUnit("seconds")
			.tag("credential", name)
			.register(registry);
		tokenManager.addListener(new TokenMeters(registry, name));
	}

	private static double secondsUntilExpiry(ImsTokenManager tokenManager, Clock clock) {
		ImsAccessToken token = tokenManager.getCurrentToken().orElse(null);
		if (token == null) {
			return 0;
		}
		Duration remaining = Duration.between(clock.instant(), token.getExpiresAt());
		return remaining.isNegative() ? 0 : remaining.toMillis() / 1000.0;
	}

	static String statusClass(int statusCode) {
		return (statusCode >= 100 && statusCode < 1000) ? STATUS_CLASSES[statusCode / 100] : STATUS_CLASSES[0];
	}

	/**
	 * Records what one connection's delivery engine reports.
	 */
	private static final class DeliveryMeters implements DeliveryListener {

		private final MeterProvider<Counter> events;

		private final MeterProvider<Timer> requests;

		private final DistributionSummary batchSize;

		private final Counter retries;

		DeliveryMeters(MeterRegistry registry, String connectionName) {
			this.events = Counter.builder("aep.streaming.events")
				.description("Messages that reached their end, acknowledged by AEP or failed")
				.baseUnit("events")
				.tag("connection", connectionName)
				.withRegistry(registry);
			this.requests = Timer.builder("aep.streaming.requests")
				.description("HTTP request attempts to the AEP streaming endpoint")
				.tag("connection", connectionName)
				.withRegistry(registry);
			this.batchSize = DistributionSummary.builder("aep.streaming.batch.size")
				.description("Messages per batch request attempt")
				.baseUnit("events")
				.tag("connection", connectionName)
				.register(registry);
			this.retries = Counter.builder("aep.streaming.retries")
				.description("Requests to AEP sent again after a retryable failure")
				.tag("connection", connectionName)
				.register(registry);
		}

		@Override
		public void requestCompleted(RequestKind kind, int messageCount, Duration duration, int statusCode,
				@Nullable AepStreamingException failure) {
			this.requests
				.withTags("kind", (kind == RequestKind.BATCH) ? "batch" : "single", "outcome",
						(failure != null) ? "failure" : "success", "status", statusClass(statusCode))
				.record(duration);
			if (kind == RequestKind.BATCH) {
				this.batchSize.record(messageCount);
			}
		}

		@Override
		public void retrying(int attempt, Throwable failure) {
			this.retries.increment();
		}

		@Override
		public void delivered(int messageCount, int statusCode, boolean acknowledged) {
			this.events.withTags("outcome", acknowledged ? "acknowledged" : "failed", "status", statusClass(statusCode))
				.increment(messageCount);
		}

	}

	/**
	 * Records the token requests of one credential.
	 */
	private static final class TokenMeters implements ImsTokenListener {

		private final MeterProvider<Timer> requests;

		TokenMeters(MeterRegistry registry, String credentialName) {
			this.requests = Timer.builder("aep.streaming.token.requests")
				.description("Token requests to Adobe IMS")
				.tag("credential", credentialName)
				.withRegistry(registry);
		}

		@Override
		public void tokenRequestCompleted(Duration duration, @Nullable ImsTokenException failure) {
			this.requests.withTags("outcome", outcome(failure)).record(duration);
		}

		private static String outcome(@Nullable ImsTokenException failure) {
			if (failure == null) {
				return "success";
			}
			return failure.isCredentialRejected() ? "rejected" : "failed";
		}

	}

}
