package dev.aepstreaming.autoconfigure.metrics;

import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.AepStreamingConnections;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the Micrometer meters of AEP streaming: an
 * {@link AepStreamingMeterBinder}, which Spring Boot binds to every meter registry.
 * Switched off by {@code aep.streaming.metrics.enabled=false}.
 *
 * @author aep-streaming
 */
@AutoConfiguration(after = AepStreamingAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ AepStreamingConnections.class, MeterRegistry.class })
@ConditionalOnBooleanProperty(name = "aep.streaming.metrics.enabled", matchIfMissing = true)
public final class AepStreamingMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AepStreamingMeterBinder aepStreamingMetrics(AepStreamingConnections connections) {
		return new AepStreamingMeterBinder(connections);
	}

}
