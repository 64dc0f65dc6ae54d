package dev.aepstreaming.autoconfigure.metrics;

import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.AepStreamingConnections;
import dev.aepstreaming.autoconfigure.emulator.AepEmulatorAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AepStreamingMetricsAutoConfiguration}.
 *
 * @author aep-streaming
 */
class AepStreamingMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepEmulatorAutoConfiguration.class, AepStreamingAutoConfiguration.class,
				AepStreamingMetricsAutoConfiguration.class))
		.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-1",
				"aep.streaming.xdm.schema-id=https://ns.adobe.com/emulator/schemas/events",
				"aep.streaming.xdm.dataset-id=dataset-1");

	@Test
	void binderIsBoundToBootsMeterRegistry() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(AepStreamingMeterBinder.class).hasBean("aepStreamingMetrics");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("aep.streaming.buffer.capacity").tag("connection", "default").gauge())
					.isNotNull();
				assertThat(registry.find("aep.streaming.token.expiry").tag("credential", "default").gauge())
					.isNotNull();
			});
	}

	@Test
	void binderIsDefinedWithAUserMeterRegistry() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(AepStreamingMeterBinder.class));
	}

	@Test
	void binderBacksOffWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(AepStreamingConnections.class);
			assertThat(context).doesNotHaveBean(AepStreamingMeterBinder.class);
		});
	}

	@Test
	void binderBacksOffWithoutMicrometerOnTheClasspath() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(AepStreamingMeterBinder.class));
	}

	@Test
	void binderBacksOffWhenMetricsAreDisabled() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("aep.streaming.metrics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AepStreamingMeterBinder.class));
	}

	@Test
	void binderBacksOffWithoutStreaming() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("aep.streaming.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AepStreamingMeterBinder.class));
	}

	@Test
	void binderBacksOffForTheUsersOwn() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(UserBinderConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(AepStreamingMeterBinder.class)
				.hasBean("myStreamingMetrics"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBinderConfiguration {

		@Bean
		AepStreamingMeterBinder myStreamingMetrics(AepStreamingConnections connections) {
			return new AepStreamingMeterBinder(connections);
		}

	}

}
