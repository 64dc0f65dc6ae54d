package dev.aepstreaming.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingTemplates;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static dev.aepstreaming.AepTestServers.CONNECTION_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that {@link AepStreamingResilienceCustomizer} beans shape the retry, circuit
 * breaker and rate limiter of every streaming connection, in their order and after the
 * properties, against IMS and streaming servers on loopback.
 *
 * @author aep-streaming
 */
class AepStreamingResilienceCustomizerTests {

	private static final String ORDERS_CONNECTION_ID = "inlet-orders";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepStreamingAutoConfiguration.class));

	private AepTestServers servers;

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
	}

	@AfterEach
	void stopServers() {
		this.servers.close();
	}

	@Test
	void customizerShapesTheInstancesOfTheDefaultAndOfANamedConnection() {
		configured().withBean(AepStreamingResilienceCustomizer.class, () -> new SettingCustomizer(2, 7, 3))
			.run((context) -> {
				for (String connectionId : List.of(CONNECTION_ID, ORDERS_CONNECTION_ID)) {
					assertThat(retry(context, connectionId).getRetryConfig().getMaxAttempts()).isEqualTo(2);
					assertThat(circuitBreaker(context, connectionId).getCircuitBreakerConfig().getSlidingWindowSize())
						.isEqualTo(7);
					assertThat(rateLimiter(context, connectionId).getRateLimiterConfig().getLimitForPeriod())
						.isEqualTo(3);
				}
			});
	}

	@Test
	void everyConnectionDeliversThroughACircuitBreakerOfTheApplicationsRegistry() {
		configured().run((context) -> {
			AepStreamingConnections connections = context.getBean(AepStreamingConnections.class);
			assertThat(connections.getConnection(StreamingTemplates.DEFAULT_CONNECTION)
				.deliveryEngine()
				.getCircuitBreaker()).isSameAs(circuitBreaker(context, CONNECTION_ID));
			assertThat(connections.getConnection("orders").deliveryEngine().getCircuitBreaker())
				.isSameAs(circuitBreaker(context, ORDERS_CONNECTION_ID));
		});
	}

	@Test
	void customizedRetryBoundsTheAttemptsOfEveryConnectionAgainstAFailingEndpoint() {
		configured().withBean(AepStreamingResilienceCustomizer.class, () -> new SettingCustomizer(2, 7, 3))
			.withPropertyValues("aep.streaming.retry.initial-backoff=5ms", "aep.streaming.retry.max-backoff=10ms")
			.run((context) -> {
				this.servers.streaming()
					.respond((request) -> AepTestServers.json(503, "{\"title\":\"Service Unavailable\"}"));
				StreamingTemplates templates = context.getBean(StreamingTemplates.class);
				for (String name : List.of(StreamingTemplates.DEFAULT_CONNECTION, "orders")) {
					assertThatExceptionOfType(StreamingServerException.class)
						.isThrownBy(() -> templates.get(name).send(StreamingMessage.raw("{\"id\":1}")));
				}
				assertThat(this.servers.streaming().requests()).extracting(RecordedRequest::getPath)
					.containsExactly("/collection/" + CONNECTION_ID, "/collection/" + CONNECTION_ID,
							"/collection/" + ORDERS_CONNECTION_ID, "/collection/" + ORDERS_CONNECTION_ID);
			});
	}

	@Test
	void customizerIsAppliedAfterThePropertiesAndKeepsWhatItDoesNotChange() {
		configured().withBean(AepStreamingResilienceCustomizer.class, () -> new SettingCustomizer(2, 7, 3))
			.withPropertyValues("aep.streaming.retry.max-attempts=4",
					"aep.streaming.circuit-breaker.sliding-window-size=40",
					"aep.streaming.circuit-breaker.failure-rate-threshold=30",
					"aep.streaming.rate-limit.requests-per-second=50", "aep.streaming.rate-limit.max-wait=2s")
			.run((context) -> {
				for (String connectionId : List.of(CONNECTION_ID, ORDERS_CONNECTION_ID)) {
					assertThat(retry(context, connectionId).getRetryConfig().getMaxAttempts()).isEqualTo(2);
					CircuitBreakerConfig circuitBreakerConfig = circuitBreaker(context, connectionId)
						.getCircuitBreakerConfig();
					assertThat(circuitBreakerConfig.getSlidingWindowSize()).isEqualTo(7);
					assertThat(circuitBreakerConfig.getFailureRateThreshold()).isEqualTo(30);
					RateLimiterConfig rateLimiterConfig = rateLimiter(context, connectionId).getRateLimiterConfig();
					assertThat(rateLimiterConfig.getLimitForPeriod()).isEqualTo(3);
					assertThat(rateLimiterConfig.getTimeoutDuration()).isEqualTo(Duration.ofSeconds(2));
				}
			});
	}

	@Test
	void customizersAreAppliedInTheirOrderSoTheLastOneWins() {
		configured().withUserConfiguration(OrderedCustomizersConfiguration.class).run((context) -> {
			for (String connectionId : List.of(CONNECTION_ID, ORDERS_CONNECTION_ID)) {
				assertThat(retry(context, connectionId).getRetryConfig().getMaxAttempts()).isEqualTo(3);
				assertThat(circuitBreaker(context, connectionId).getCircuitBreakerConfig().getSlidingWindowSize())
					.isEqualTo(30);
				assertThat(rateLimiter(context, connectionId).getRateLimiterConfig().getLimitForPeriod())
					.isEqualTo(300);
			}
			List<String> calls = context.getBean(OrderedCustomizersConfiguration.class).calls;
			for (String kind : List.of("retry", "circuitBreaker", "rateLimiter")) {
				assertThat(calls.stream().filter((call) -> call.endsWith(":" + kind))).containsExactly("first:" + kind,
						"second:" + kind, "first:" + kind, "second:" + kind);
			}
		});
	}

	@Test
	void instanceAlreadyInTheApplicationsRegistryTakesPrecedenceOverPropertiesAndCustomizers() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		CircuitBreaker configured = registry.circuitBreaker("aep-streaming-" + CONNECTION_ID,
				CircuitBreakerConfig.custom().slidingWindowSize(99).build());
		configured(registry).withBean(AepStreamingResilienceCustomizer.class, () -> new SettingCustomizer(2, 7, 3))
			.run((context) -> {
				AepStreamingConnections connections = context.getBean(AepStreamingConnections.class);
				CircuitBreaker defaultCircuitBreaker = connections.getConnection(StreamingTemplates.DEFAULT_CONNECTION)
					.deliveryEngine()
					.getCircuitBreaker();
				assertThat(defaultCircuitBreaker).isSameAs(configured);
				assertThat(defaultCircuitBreaker.getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(99);
				assertThat(connections.getConnection("orders")
					.deliveryEngine()
					.getCircuitBreaker()
					.getCircuitBreakerConfig()
					.getSlidingWindowSize()).isEqualTo(7);
			});
	}

	private ApplicationContextRunner configured() {
		return configured(CircuitBreakerRegistry.ofDefaults());
	}

	private ApplicationContextRunner configured(CircuitBreakerRegistry circuitBreakerRegistry) {
		return this.contextRunner.withBean(RetryRegistry.class, RetryRegistry::ofDefaults)
			.withBean(CircuitBreakerRegistry.class, () -> circuitBreakerRegistry)
			.withBean(RateLimiterRegistry.class, RateLimiterRegistry::ofDefaults)
			.withPropertyValues("aep.streaming.base-url=" + this.servers.streaming().baseUrl(),
					"aep.streaming.connection-id=" + CONNECTION_ID, "aep.streaming.flow-id=" + AepTestServers.FLOW_ID,
					"aep.streaming.ims.token-uri=" + this.servers.ims().url(AepTestServers.TOKEN_PATH),
					"aep.streaming.ims.client-id=" + AepTestServers.CLIENT_ID,
					"aep.streaming.ims.client-secret=" + AepTestServers.CLIENT_SECRET,
					"aep.streaming.ims.org-id=" + AepTestServers.ORG_ID,
					"aep.streaming.connections.orders.connection-id=" + ORDERS_CONNECTION_ID);
	}

	private static Retry retry(AssertableApplicationContext context, String connectionId) {
		return context.getBean(RetryRegistry.class).find(instanceName(connectionId)).orElseThrow();
	}

	private static CircuitBreaker circuitBreaker(AssertableApplicationContext context, String connectionId) {
		return context.getBean(CircuitBreakerRegistry.class).find(instanceName(connectionId)).orElseThrow();
	}

	private static RateLimiter rateLimiter(AssertableApplicationContext context, String connectionId) {
		return context.getBean(RateLimiterRegistry.class).find(instanceName(connectionId)).orElseThrow();
	}

	private static String instanceName(String connectionId) {
		return "aep-streaming-" + connectionId;
	}

	/**
	 * Sets one value of each configuration and records that it was called.
	 */
	static class SettingCustomizer implements AepStreamingResilienceCustomizer {

		private final String name;

		private final List<String> calls;

		private final int maxAttempts;

		private final int slidingWindowSize;

		private final int limitForPeriod;

		SettingCustomizer(int maxAttempts, int slidingWindowSize, int limitForPeriod) {
			this("customizer", new CopyOnWriteArrayList<>(), maxAttempts, slidingWindowSize, limitForPeriod);
		}

		SettingCustomizer(String name, List<String> calls, int maxAttempts, int slidingWindowSize, int limitForPeriod) {
			this.name = name;
			this.calls = calls;
			this.maxAttempts = maxAttempts;
			this.slidingWindowSize = slidingWindowSize;
			this.limitForPeriod = limitForPeriod;
		}

		@Override
		public void customizeRetry(RetryConfig.Builder<Object> builder) {
			this.calls.add(this.name + ":retry");
			builder.maxAttempts(this.maxAttempts);
		}

		@Override
		public void customizeCircuitBreaker(CircuitBreakerConfig.Builder builder) {
			this.calls.add(this.name + ":circuitBreaker");
			builder.slidingWindowSize(this.slidingWindowSize);
		}

		@Override
		public void customizeRateLimiter(RateLimiterConfig.Builder builder) {
			this.calls.add(this.name + ":rateLimiter");
			builder.limitForPeriod(this.limitForPeriod);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedCustomizersConfiguration {

		final List<String> calls = new CopyOnWriteArrayList<>();

		// Declared before the first one, so that only @Order can put it second
		@Bean
		@Order(2)
		AepStreamingResilienceCustomizer secondCustomizer() {
			return new SettingCustomizer("second", this.calls, 3, 30, 300);
		}

		@Bean
		@Order(1)
		AepStreamingResilienceCustomizer firstCustomizer() {
			return new SettingCustomizer("first", this.calls, 2, 20, 200);
		}

	}

}
