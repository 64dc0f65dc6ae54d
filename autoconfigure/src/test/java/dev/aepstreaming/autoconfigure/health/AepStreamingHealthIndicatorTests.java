package dev.aepstreaming.autoconfigure.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.aepstreaming.StreamingCircuitOpenException;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.AepStreamingConnections;
import dev.aepstreaming.autoconfigure.ImsTokenManagerCustomizer;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import dev.aepstreaming.emulator.EmulatorFaults.OutageMode;
import dev.aepstreaming.ims.ImsAccessToken;
import dev.aepstreaming.ims.ImsTokenManager;
import dev.aepstreaming.test.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AepStreamingHealthIndicator}, on the auto-configured delivery engine
 * and token manager streaming to the emulator on loopback.
 *
 * @author aep-streaming
 */
class AepStreamingHealthIndicatorTests {

	private static final String CONNECTION_ID = "conn-health";

	private static final String WRONG_SECRET = "p8e-WRONG-SECRET-1b2c3d";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));

	private AepEmulator emulator;

	@AfterEach
	void stopEmulator() {
		if (this.emulator != null) {
			this.emulator.close();
		}
	}

	@Test
	void connectionThatHoldsATokenIsUpWithItsDetails() {
		this.emulator = emulator(Duration.ofHours(1));
		contextRunner().run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			template.send(event(1));
			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			ImsAccessToken token = tokenManager.getCurrentToken().orElseThrow();
			assertThat(health.getDetails())
				.containsOnlyKeys("connectionId", "tokenExpiresAt", "tokenObtainedAt", "lastAcknowledgedAt",
						"circuitBreaker", "bufferedEvents")
				.containsEntry("connectionId", CONNECTION_ID)
				.containsEntry("tokenExpiresAt", token.getExpiresAt().toString())
				.containsEntry("tokenObtainedAt", token.getObtainedAt().toString())
				.containsEntry("circuitBreaker", "CLOSED")
				.containsEntry("bufferedEvents", 0);
			assertThat(Instant.parse((String) health.getDetails().get("lastAcknowledgedAt"))).isNotNull();
			assertThat(tokenManager.getTokenRequestCount()).isOne();
		});
	}

	@Test
	void connectionWithoutATokenObtainsOneWithExactlyOneTokenRequest() {
		this.emulator = emulator(Duration.ofHours(1));
		contextRunner().run((context) -> {
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			AepStreamingHealthIndicator indicator = indicator(context);
			assertThat(tokenManager.getCurrentToken()).isEmpty();
			Health first = indicator.health();
			Health second = indicator.health();
			assertThat(first.getStatus()).isEqualTo(Status.UP);
			assertThat(second.getStatus()).isEqualTo(Status.UP);
			assertThat(first.getDetails()).containsEntry("lastAcknowledgedAt", "never")
				.containsEntry("tokenObtainedAt", this.clock.instant().toString())
				.containsEntry("tokenExpiresAt",
						tokenManager.getCurrentToken().orElseThrow().getExpiresAt().toString());
			assertThat(this.emulator.recorder().tokenRequestCount()).isOne();
			assertThat(tokenManager.getTokenRequestCount()).isOne();
		});
	}

	@Test
	void connectionWhoseCredentialIMSRejectsIsDownNamingTheClientIdAndTheError() {
		this.emulator = emulator(Duration.ofHours(1));
		contextRunner().withPropertyValues("aep.streaming.ims.client-secret=" + WRONG_SECRET).run((context) -> {
			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).doesNotContainKeys("tokenExpiresAt", "tokenObtainedAt");
			assertThat((String) health.getDetails().get("reason")).contains("rejected the credential")
				.contains("'" + this.emulator.clientId() + "'")
				.contains("invalid_client")
				.contains("aep.streaming.ims.client-secret")
				.doesNotContain(WRONG_SECRET)
				.doesNotContain(this.emulator.clientSecret());
			assertThat(context.getBean(ImsTokenManager.class).getLastFailure()).isPresent();
		});
	}

	@Test
	void connectionWhoseIMSIsUnreachableIsDown() {
		this.emulator = emulator(Duration.ofHours(1));
		this.emulator.faults().tokenOutage(Duration.ofMinutes(10), OutageMode.UNAVAILABLE);
		contextRunner().run((context) -> {
			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) health.getDetails().get("reason")).contains("IMS is unreachable or failing")
				.contains("'" + this.emulator.clientId() + "'");
		});
	}

	@Test
	void connectionWhoseTokenExpiredDuringAnIMSOutageIsDownUntilIMSIsBack() {
		this.emulator = emulator(Duration.ofMinutes(1));
		contextRunner().run((context) -> {
			AepStreamingHealthIndicator indicator = indicator(context);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			this.emulator.faults().tokenOutage(Duration.ofMinutes(2), OutageMode.DROP);
			this.clock.advance(Duration.ofSeconds(61));
			Health duringOutage = indicator.health();
			assertThat(duringOutage.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) duringOutage.getDetails().get("reason")).contains("IMS is unreachable or failing");
			this.clock.advance(Duration.ofMinutes(2));
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void connectionIsDownDuringAnIMSOutageOnceItsTokenIsTooCloseToExpiryToBeSent() {
		this.emulator = emulator(Duration.ofMinutes(1));
		contextRunner().run((context) -> {
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			AepStreamingHealthIndicator indicator = indicator(context);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			Instant expiresAt = tokenManager.getCurrentToken().orElseThrow().getExpiresAt();
			this.emulator.faults().tokenOutage(Duration.ofMinutes(2), OutageMode.DROP);
			// not yet expired, but within the last tenth of its life, where senders no
			// longer get it
			this.clock.advance(Duration.between(this.clock.instant(), expiresAt.minusSeconds(3)));
			assertThat(tokenManager.getUsableToken()).isEmpty();
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat((String) health.getDetails().get("reason")).contains("IMS is unreachable or failing");
			assertThat(health.getDetails()).containsEntry("tokenExpiresAt", expiresAt.toString());
		});
	}

	@Test
	void connectionWhoseCircuitOpenedAfterServerErrorsIsDownSayingThatSendsFailFast() {
		this.emulator = emulator(Duration.ofHours(1));
		this.emulator.faults().errorRate(EmulatorEndpoint.SINGLE, 503, 1.0);
		contextRunner().run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			assertThatExceptionOfType(StreamingServerException.class).isThrownBy(() -> template.send(event(1)));
			assertThatExceptionOfType(StreamingServerException.class).isThrownBy(() -> template.send(event(2)));
			assertThatExceptionOfType(StreamingCircuitOpenException.class).isThrownBy(() -> template.send(event(3)));
			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("circuitBreaker", "OPEN");
			assertThat((String) health.getDetails().get("reason")).contains("'" + CONNECTION_ID + "'")
				.contains("OPEN")
				.contains("fail fast")
				.contains("aep.streaming.circuit-breaker.wait-duration-in-open-state");
		});
	}

	@Test
	void connectionWhoseCircuitIsHalfOpenIsDown() {
		this.emulator = emulator(Duration.ofHours(1));
		contextRunner().run((context) -> {
			AepStreamingHealthIndicator indicator = indicator(context);
			CircuitBreaker circuitBreaker = connection(context).deliveryEngine().getCircuitBreaker();
			circuitBreaker.transitionToOpenState();
			circuitBreaker.transitionToHalfOpenState();
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("circuitBreaker", "HALF_OPEN");
			assertThat((String) health.getDetails().get("reason")).contains("HALF_OPEN");
			circuitBreaker.transitionToClosedState();
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void connectionWithoutCircuitBreakingReportsItDisabled() {
		this.emulator = emulator(Duration.ofHours(1));
		contextRunner().withPropertyValues("aep.streaming.circuit-breaker.enabled=false").run((context) -> {
			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("circuitBreaker", "disabled");
		});
	}

	@Test
	void unauthenticatedConnectionIsUpWithoutAnyTokenRequest() {
		this.emulator = AepEmulator.builder()
			.clock(this.clock)
			.unauthenticatedConnection(CONNECTION_ID)
			.build()
			.start();
		contextRunner().withPropertyValues("aep.streaming.authenticated=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ImsTokenManager.class);
			context.getBean(StreamingTemplate.class).send(event(1));
			Health health = indicator(context).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).doesNotContainKeys("tokenExpiresAt", "tokenObtainedAt", "reason")
				.containsEntry("connectionId", CONNECTION_ID);
			assertThat(this.emulator.recorder().tokenRequestCount()).isZero();
		});
	}

	@Test
	void connectionWhoseDeliveryEngineShutDownIsOutOfService() {
		this.emulator = emulator(Duration.ofHours(1));
		contextRunner().run((context) -> {
			AepStreamingHealthIndicator indicator = indicator(context);
			connection(context).deliveryEngine().shutdown(Duration.ofSeconds(1));
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat((String) health.getDetails().get("reason")).contains("shutting down");
			assertThat(this.emulator.recorder().tokenRequestCount()).isZero();
		});
	}

	@Test
	void tokenExpiryDetailFollowsTheClock() {
		this.emulator = emulator(Duration.ofMinutes(1));
		contextRunner().run((context) -> {
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			AepStreamingHealthIndicator indicator = indicator(context);
			Instant start = this.clock.instant();
			Map<String, Object> first = indicator.health().getDetails();
			Instant firstExpiry = Instant.parse((String) first.get("tokenExpiresAt"));
			assertThat(firstExpiry).isAfter(start.plus(Duration.ofSeconds(50)))
				.isBefore(start.plus(Duration.ofMinutes(1)));
			this.clock.advance(Duration.ofSeconds(30));
			assertThat(indicator.health().getDetails()).containsEntry("tokenExpiresAt", firstExpiry.toString())
				.containsEntry("tokenObtainedAt", start.toString());
			Instant later = this.clock.advance(Duration.ofSeconds(31));
			Health afterExpiry = indicator.health();
			assertThat(afterExpiry.getStatus()).isEqualTo(Status.UP);
			assertThat(afterExpiry.getDetails()).containsEntry("tokenObtainedAt", later.toString())
				.containsEntry("tokenExpiresAt", firstExpiry.plus(Duration.between(start, later)).toString())
				.containsEntry("tokenExpiresAt",
						tokenManager.getCurrentToken().orElseThrow().getExpiresAt().toString());
			assertThat(this.emulator.recorder().tokenRequestCount()).isEqualTo(2);
		});
	}

	@Test
	void healthAsJsonRevealsNeitherTheTokenNorTheSecret() {
		this.emulator = emulator(Duration.ofHours(1));
		contextRunner().run((context) -> {
			context.getBean(StreamingTemplate.class).send(event(1));
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			String tokenValue = tokenManager.getCurrentToken().orElseThrow().getTokenValue();
			assertThat(tokenValue).startsWith("eyJ");
			String json = JsonMapper.builder().build().writeValueAsString(indicator(context).health());
			assertThat(json).contains("\"UP\"")
				.contains(CONNECTION_ID)
				.doesNotContain(tokenValue)
				.doesNotContain(tokenValue.substring(tokenValue.lastIndexOf('.') + 1))
				.doesNotContain(this.emulator.clientSecret())
				.doesNotContainIgnoringCase("Bearer")
				.doesNotContainIgnoringCase("Authorization");
		});
	}

	@Test
	void downHealthAsJsonRevealsNeitherTheTokenNorTheSecret() {
		this.emulator = emulator(Duration.ofMinutes(1));
		contextRunner().run((context) -> {
			AepStreamingHealthIndicator indicator = indicator(context);
			indicator.health();
			String tokenValue = context.getBean(ImsTokenManager.class).getCurrentToken().orElseThrow().getTokenValue();
			this.emulator.faults().tokenOutage(Duration.ofMinutes(10), OutageMode.UNAVAILABLE);
			this.clock.advance(Duration.ofSeconds(61));
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			String json = JsonMapper.builder().build().writeValueAsString(health);
			assertThat(json).contains("reason")
				.doesNotContain(tokenValue)
				.doesNotContain(this.emulator.clientSecret())
				.doesNotContainIgnoringCase("Bearer");
		});
	}

	private AepEmulator emulator(Duration tokenLifetime) {
		return AepEmulator.builder().clock(this.clock).tokenLifetime(tokenLifetime).build().start();
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.connection-id=" + CONNECTION_ID, "aep.streaming.flow-id=flow-health",
					"aep.streaming.base-url=" + this.emulator.baseUrl(),
					"aep.streaming.ims.token-uri=" + this.emulator.tokenUri(),
					"aep.streaming.ims.client-id=" + this.emulator.clientId(),
					"aep.streaming.ims.client-secret=" + this.emulator.clientSecret(),
					"aep.streaming.ims.org-id=" + this.emulator.orgId(),
					"aep.streaming.xdm.schema-id=https://ns.adobe.com/health/schemas/1",
					"aep.streaming.xdm.dataset-id=dataset-health", "aep.streaming.retry.max-attempts=1",
					"aep.streaming.rate-limit.enabled=false", "aep.streaming.circuit-breaker.sliding-window-size=2",
					"aep.streaming.circuit-breaker.minimum-number-of-calls=2")
			.withBean("mutableClock", ImsTokenManagerCustomizer.class, () -> (manager) -> manager.setClock(this.clock));
	}

	private AepStreamingHealthIndicator indicator(AssertableApplicationContext context) {
		AepStreamingConnections.Connection connection = connection(context);
		AepStreamingHealthIndicator indicator = new AepStreamingHealthIndicator(connection.deliveryEngine(),
				connection.tokenManager());
		indicator.setTokenTimeout(Duration.ofSeconds(10));
		return indicator;
	}

	private static AepStreamingConnections.Connection connection(AssertableApplicationContext context) {
		return context.getBean(AepStreamingConnections.class).getConnections().get(0);
	}

	private static Map<String, Object> event(int n) {
		return Map.of("_id", "event-" + n, "timestamp", "2026-03-02T10:00:00Z");
	}

}
