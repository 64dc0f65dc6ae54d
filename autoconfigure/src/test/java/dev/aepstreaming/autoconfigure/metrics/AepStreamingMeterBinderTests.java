package dev.aepstreaming.autoconfigure.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.AepStreamingConnections;
import dev.aepstreaming.autoconfigure.ImsTokenManagerCustomizer;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import dev.aepstreaming.ims.ImsTokenManager;
import dev.aepstreaming.test.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AepStreamingMeterBinder} on a {@link SimpleMeterRegistry}, with the
 * auto-configured connection streaming to the emulator on loopback.
 *
 * @author aep-streaming
 */
class AepStreamingMeterBinderTests {

	private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private AepEmulator emulator;

	@BeforeEach
	void startEmulator() {
		this.emulator = AepEmulator.builder().clock(this.clock).tokenLifetime(TOKEN_LIFETIME).build().start();
	}

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	@Test
	void acknowledgedSendsAreCountedAndTheirRequestsTimed() {
		contextRunner().run((context) -> {
			bind(context);
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			for (int i = 0; i < 3; i++) {
				template.send(event("evt-" + i));
			}
			assertThat(counter("aep.streaming.events", "outcome", "acknowledged", "status", "2xx").count())
				.isEqualTo(3);
			assertThat(timer("aep.streaming.requests", "kind", "single", "outcome", "success", "status", "2xx").count())
				.isEqualTo(3);
			assertThat(this.registry.get("aep.streaming.events").meters()).hasSize(1);
			assertThat(this.registry.get("aep.streaming.retries").tag("connection", "default").counter().count())
				.isZero();
			assertThat(this.registry.get("aep.streaming.batch.size").summary().count()).isZero();
			assertThat(timer("aep.streaming.token.requests", "credential", "default", "outcome", "success").count())
				.isOne();
			assertThat(this.registry.get("aep.streaming.token.requests").timers()).singleElement()
				.satisfies((timer) -> assertThat(timer.getId().getTags()).extracting("key")
					.containsExactlyInAnyOrder("credential", "outcome"));
		});
	}

	@Test
	void refusedEventIsCountedAsFailedWithItsStatusClassAndNotRetried() {
		contextRunner().run((context) -> {
			bind(context);
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			assertThatExceptionOfType(StreamingValidationException.class)
				.isThrownBy(() -> template.send(invalidEvent("evt-invalid")));
			assertThat(counter("aep.streaming.events", "outcome", "failed", "status", "4xx").count()).isOne();
			assertThat(timer("aep.streaming.requests", "kind", "single", "outcome", "failure", "status", "4xx").count())
				.isOne();
			assertThat(this.registry.get("aep.streaming.retries").counter().count()).isZero();
		});
	}

	@Test
	void retriedServerErrorsCountEachAttemptAndEachRetry() {
		this.emulator.faults()
			.errorRate(EmulatorEndpoint.SINGLE, 503, 1.0)
			.retryAfter(EmulatorEndpoint.SINGLE, Duration.ZERO);
		contextRunner().run((context) -> {
			bind(context);
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			assertThatExceptionOfType(StreamingServerException.class).isThrownBy(() -> template.send(event("evt-1")));
			assertThat(timer("aep.streaming.requests", "kind", "single", "outcome", "failure", "status", "5xx").count())
				.isEqualTo(3);
			assertThat(this.registry.get("aep.streaming.retries").tag("connection", "default").counter().count())
				.isEqualTo(2);
			assertThat(counter("aep.streaming.events", "outcome", "failed", "status", "5xx").count()).isOne();
		});
	}

	@Test
	void batchRequestRecordsItsSizeAndEachMessage() {
		contextRunner().run((context) -> {
			bind(context);
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			template.sendBatch(List.of(event("b-1"), event("b-2"), invalidEvent("b-3"), event("b-4")));
			DistributionSummary batchSize = this.registry.get("aep.streaming.batch.size")
				.tag("connection", "default")
				.summary();
			assertThat(batchSize.count()).isOne();
			assertThat(batchSize.totalAmount()).isEqualTo(4);
			assertThat(batchSize.getId().getBaseUnit()).isEqualTo("events");
			assertThat(timer("aep.streaming.requests", "kind", "batch", "outcome", "success", "status", "2xx").count())
				.isOne();
			assertThat(counter("aep.streaming.events", "outcome", "acknowledged", "status", "2xx").count())
				.isEqualTo(3);
			assertThat(counter("aep.streaming.events", "outcome", "failed", "status", "4xx").count()).isOne();
		});
	}

	@Test
	void rejectedCredentialIsCountedAsARejectedTokenRequest() {
		contextRunner().withPropertyValues("aep.streaming.ims.client-secret=not-the-secret").run((context) -> {
			bind(context);
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			assertThatExceptionOfType(ImsTokenException.class).isThrownBy(() -> template.send(event("evt-1")));
			assertThat(timer("aep.streaming.token.requests", "credential", "default", "outcome", "rejected").count())
				.isOne();
			assertThat(this.registry.find("aep.streaming.token.requests").tag("outcome", "success").timer()).isNull();
			assertThat(counter("aep.streaming.events", "outcome", "failed", "status", "none").count()).isOne();
			assertThat(gauge("aep.streaming.token.expiry").value()).isZero();
		});
	}

	@Test
	void tokenExpiryGaugeFollowsTheClock() {
		contextRunner().run((context) -> {
			bind(context);
			Gauge expiry = gauge("aep.streaming.token.expiry");
			assertThat(expiry.getId().getBaseUnit()).isEqualTo("seconds");
			assertThat(expiry.getId().getTag("credential")).isEqualTo("default");
			assertThat(expiry.value()).as("no token yet").isZero();
			context.getBean(StreamingTemplate.class).send(event("evt-1"));
			Instant expiresAt = context.getBean(ImsTokenManager.class).getCurrentToken().orElseThrow().getExpiresAt();
			assertThat(expiry.value()).isEqualTo(Duration.between(this.clock.instant(), expiresAt).toSeconds())
				.isCloseTo(TOKEN_LIFETIME.toSeconds(), within(1.0));
			this.clock.advance(Duration.ofMinutes(10).plusMillis(500));
			assertThat(expiry.value()).isEqualTo(Duration.between(this.clock.instant(), expiresAt).toMillis() / 1000.0)
				.isCloseTo(TOKEN_LIFETIME.minusMinutes(10).toSeconds() - 0.5, within(1.0));
			this.clock.advance(TOKEN_LIFETIME);
			assertThat(expiry.value()).as("expired").isZero();
		});
	}

	@Test
	void bufferGaugesShowOccupancyAndCapacity() {
		this.emulator.faults().latency(EmulatorEndpoint.SINGLE, Duration.ofMillis(500));
		contextRunner().withPropertyValues("aep.streaming.buffer.capacity=250").run((context) -> {
			bind(context);
			Gauge occupancy = gauge("aep.streaming.buffer.occupancy");
			assertThat(occupancy.getId().getBaseUnit()).isEqualTo("events");
			assertThat(gauge("aep.streaming.buffer.capacity").value()).isEqualTo(250);
			assertThat(occupancy.value()).isZero();
			CompletableFuture<?> first = context.getBean(StreamingTemplate.class).sendAsync(event("evt-1"));
			CompletableFuture<?> second = context.getBean(StreamingTemplate.class).sendAsync(event("evt-2"));
			await().atMost(Duration.ofSeconds(10)).until(() -> occupancy.value() == 2);
			CompletableFuture.allOf(first, second).get();
			assertThat(occupancy.value()).isZero();
		});
	}

	@Test
	void credentialIsNamedAfterTheFirstConnectionThatUsesIt() {
		contextRunner().run((context) -> {
			AepStreamingConnections.Connection main = context.getBean(AepStreamingConnections.class)
				.getConnection("default");
			AepStreamingConnections connections = new AepStreamingConnections(List.of(
					new AepStreamingConnections.Connection("orders", main.connectionId(), main.deliveryEngine(),
							main.tokenManager(), main.template(), main.reactiveTemplate()),
					new AepStreamingConnections.Connection("profiles", main.connectionId(), main.deliveryEngine(),
							main.tokenManager(), main.template(), main.reactiveTemplate())));
			new AepStreamingMeterBinder(connections, this.clock).bindTo(this.registry);
			assertThat(this.registry.get("aep.streaming.token.expiry").gauges()).singleElement()
				.satisfies((gauge) -> assertThat(gauge.getId().getTag("credential")).isEqualTo("orders"));
			assertThat(this.registry.get("aep.streaming.buffer.occupancy").gauges())
				.extracting((gauge) -> gauge.getId().getTag("connection"))
				.containsExactlyInAnyOrder("orders", "profiles");
		});
	}

	@Test
	void statusClassIsNoneWithoutAnAnswer() {
		assertThat(AepStreamingMeterBinder.statusClass(0)).isEqualTo("none");
		assertThat(AepStreamingMeterBinder.statusClass(207)).isEqualTo("2xx");
		assertThat(AepStreamingMeterBinder.statusClass(429)).isEqualTo("4xx");
		assertThat(AepStreamingMeterBinder.statusClass(503)).isEqualTo("5xx");
	}

	private void bind(AssertableApplicationContext context) {
		new AepStreamingMeterBinder(context.getBean(AepStreamingConnections.class), this.clock).bindTo(this.registry);
	}

	private Counter counter(String name, String... tags) {
		return search(name, tags).counter();
	}

	private Timer timer(String name, String... tags) {
		return search(name, tags).timer();
	}

	private Gauge gauge(String name) {
		return this.registry.get(name).gauge();
	}

	private RequiredSearch search(String name, String... tags) {
		RequiredSearch search = this.registry.get(name).tags(tags);
		return name.startsWith("aep.streaming.token") ? search : search.tag("connection", "default");
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.connection-id=conn-metrics", "aep.streaming.flow-id=flow-metrics",
					"aep.streaming.base-url=" + this.emulator.baseUrl(),
					"aep.streaming.ims.token-uri=" + this.emulator.tokenUri(),
					"aep.streaming.ims.client-id=" + this.emulator.clientId(),
					"aep.streaming.ims.client-secret=" + this.emulator.clientSecret(),
					"aep.streaming.ims.org-id=" + this.emulator.orgId(),
					"aep.streaming.xdm.schema-id=https://ns.adobe.com/metrics/schemas/1",
					"aep.streaming.xdm.dataset-id=dataset-metrics", "aep.streaming.retry.max-attempts=3",
					"aep.streaming.retry.initial-backoff=5ms", "aep.streaming.retry.max-backoff=20ms",
					"aep.streaming.rate-limit.enabled=false", "aep.streaming.circuit-breaker.enabled=false")
			.withBean("mutableClock", ImsTokenManagerCustomizer.class, () -> (manager) -> manager.setClock(this.clock));
	}

	private static Map<String, Object> event(String id) {
		return Map.of("_id", id, "timestamp", "2026-12-03T10:00:00Z");
	}

	/**
	 * An event whose envelope lacks the organization, dataset and flow that AEP requires.
	 */
	private static StreamingMessage invalidEvent(String id) {
		Map<String, Object> schemaRef = Map.of("id", "https://ns.adobe.com/metrics/schemas/1");
		return StreamingMessage.envelope(Map.of("header", Map.of("schemaRef", schemaRef), "body",
				Map.of("xdmMeta", Map.of("schemaRef", schemaRef), "xdmEntity", event(id))));
	}

}
