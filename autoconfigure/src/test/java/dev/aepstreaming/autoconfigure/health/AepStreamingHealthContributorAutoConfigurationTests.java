package dev.aepstreaming.autoconfigure.health;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.StreamingOperations;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.AepStreamingConnections;
import dev.aepstreaming.autoconfigure.emulator.AepEmulatorAutoConfiguration;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.delivery.LoggingDeadLetterHandler;
import dev.aepstreaming.delivery.ResilientExchange;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.ims.ImsTokenManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AepStreamingHealthContributorAutoConfiguration}.
 *
 * @author aep-streaming
 */
class AepStreamingHealthContributorAutoConfigurationTests {

	private static final String BEAN_NAME = AepStreamingHealthContributorAutoConfiguration.HEALTH_CONTRIBUTOR_BEAN_NAME;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepEmulatorAutoConfiguration.class, AepStreamingAutoConfiguration.class,
				AepStreamingHealthContributorAutoConfiguration.class))
		.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-1",
				"aep.streaming.xdm.schema-id=https://ns.adobe.com/emulator/schemas/events",
				"aep.streaming.xdm.dataset-id=dataset-1");

	@Test
	void contributorIsRegisteredAsAepStreamingByDefault() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasBean(BEAN_NAME);
				HealthContributor contributor = context.getBean(BEAN_NAME, HealthContributor.class);
				assertThat(contributor).isInstanceOf(AepStreamingHealthIndicator.class);
				assertThat(context.getBean(HealthContributorRegistry.class).getContributor("aepStreaming"))
					.isSameAs(contributor);
				assertThat(((HealthIndicator) contributor).health().getStatus()).isEqualTo(Status.UP);
			});
	}

	@Test
	void contributorWaitsForATokenAtMostTheTokenRequestTimeout() {
		this.contextRunner
			.withPropertyValues("aep.streaming.ims.token-request-timeout=300ms",
					"aep.streaming.ims.max-retry-backoff=1s")
			.run((context) -> {
				context.getBean(AepEmulator.class).faults().latency(EmulatorEndpoint.TOKEN, Duration.ofSeconds(5));
				HealthIndicator indicator = context.getBean(BEAN_NAME, HealthIndicator.class);
				long start = System.nanoTime();
				Status status = indicator.health().getStatus();
				Duration waited = Duration.ofNanos(System.nanoTime() - start);
				assertThat(status).isEqualTo(Status.DOWN);
				assertThat(waited).isLessThan(Duration.ofSeconds(3));
			});
	}

	@Test
	void contributorIsAbsentWhenItsHealthIndicatorIsDisabled() {
		this.contextRunner.withPropertyValues("management.health.aep-streaming.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BEAN_NAME)
				.hasSingleBean(AepStreamingConnections.class));
	}

	@Test
	void contributorIsAbsentWhenHealthIndicatorsAreDisabledByDefault() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BEAN_NAME)
				.hasSingleBean(AepStreamingConnections.class));
	}

	@Test
	void contributorIsPresentWhenEnabledAlthoughHealthIndicatorsAreDisabledByDefault() {
		this.contextRunner
			.withPropertyValues("management.health.defaults.enabled=false",
					"management.health.aep-streaming.enabled=true")
			.run((context) -> assertThat(context).hasBean(BEAN_NAME));
	}

	@Test
	void contributorIsAbsentWithoutSpringBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(BEAN_NAME)
				.hasSingleBean(AepStreamingConnections.class));
	}

	@Test
	void contributorIsAbsentWhenStreamingIsDisabled() {
		this.contextRunner.withPropertyValues("aep.streaming.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BEAN_NAME)
				.doesNotHaveBean(AepStreamingConnections.class));
	}

	@Test
	void contributorOfTheUserReplacesOurs() {
		this.contextRunner.withUserConfiguration(UserContributorConfiguration.class).run((context) -> {
			assertThat(context).hasBean(BEAN_NAME).doesNotHaveBean(AepStreamingHealthIndicator.class);
			assertThat(context.getBean(BEAN_NAME)).isSameAs(UserContributorConfiguration.CONTRIBUTOR);
		});
	}

	@Test
	void severalConnectionsGetACompositeWithOneIndicatorPerConnectionName() {
		this.contextRunner.withUserConfiguration(TwoConnectionsConfiguration.class)
			.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class))
			.run((context) -> {
				HealthContributor contributor = context.getBean(HealthContributorRegistry.class)
					.getContributor("aepStreaming");
				assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
				CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
				List<String> names = new ArrayList<>();
				composite.forEach((entry) -> names.add(entry.name()));
				assertThat(names).containsExactly(StreamingTemplates.DEFAULT_CONNECTION, "audit");
				assertThat(health(composite, StreamingTemplates.DEFAULT_CONNECTION).getDetails())
					.containsKey("tokenExpiresAt")
					.containsEntry("circuitBreaker", "CLOSED");
				assertThat(health(composite, "audit").getDetails()).doesNotContainKey("tokenExpiresAt")
					.containsEntry("connectionId", "audit-connection")
					.containsEntry("circuitBreaker", "disabled");
			});
	}

	private static Health health(HealthContributors composite, String name) {
		HealthContributor child = composite.getContributor(name);
		assertThat(child).isInstanceOf(AepStreamingHealthIndicator.class);
		Health health = ((HealthIndicator) child).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		return health;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserContributorConfiguration {

		static final HealthIndicator CONTRIBUTOR = () -> Health.up().build();

		@Bean(BEAN_NAME)
		HealthIndicator aepStreamingHealthContributor() {
			return CONTRIBUTOR;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoConnectionsConfiguration {

		@Bean
		AepStreamingConnections twoConnections(AepEmulator emulator, DeliveryEngine deliveryEngine,
				ImsTokenManager tokenManager, StreamingOperations template, ReactiveStreamingOperations reactive) {
			String auditId = "audit-connection";
			StreamingHttpClient auditClient = new StreamingHttpClient(WebClient.create(emulator.baseUrl()),
					AepTestServers.jsonMapper(), auditId, "prod", null, Clock.systemUTC());
			DeliveryEngine auditEngine = new DeliveryEngine(auditClient,
					new ResilientExchange(auditId, null, null, null, 4, Duration.ofSeconds(10), Clock.systemUTC()),
					new LoggingDeadLetterHandler(), 16, Duration.ofSeconds(1), null);
			ReactiveStreamingTemplate auditReactive = new ReactiveStreamingTemplate(auditEngine,
					AepTestServers.writer(AepTestServers.envelopeSettings()), false);
			return new AepStreamingConnections(List.of(
					new AepStreamingConnections.Connection(StreamingTemplates.DEFAULT_CONNECTION,
							deliveryEngine.getConnectionId(), deliveryEngine, tokenManager, template, reactive),
					new AepStreamingConnections.Connection("audit", auditId, auditEngine, null,
							new StreamingTemplate(auditReactive), auditReactive)));
		}

	}

}
