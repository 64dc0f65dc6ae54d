package dev.aepstreaming.autoconfigure.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.AepStreamingConnections;
import dev.aepstreaming.autoconfigure.AepStreamingProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code aepStreaming} health contributor: one
 * {@link AepStreamingHealthIndicator} for a single streaming connection, or a composite
 * with one indicator per connection name when there are several. Switched off with
 * {@code management.health.aep-streaming.enabled=false} or, unless that is set to
 * {@code true}, with {@code management.health.defaults.enabled=false}.
 *
 * @author aep-streaming
 */
@AutoConfiguration(after = AepStreamingAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(AepStreamingConnections.class)
@ConditionalOnEnabledHealthIndicator("aep-streaming")
@EnableConfigurationProperties(AepStreamingProperties.class)
public final class AepStreamingHealthContributorAutoConfiguration {

	/**
	 * The name of the health contributor bean, which Spring Boot exposes as
	 * {@code aepStreaming}.
	 */
	public static final String HEALTH_CONTRIBUTOR_BEAN_NAME = "aepStreamingHealthContributor";

	@Bean(HEALTH_CONTRIBUTOR_BEAN_NAME)
	@ConditionalOnMissingBean(name = HEALTH_CONTRIBUTOR_BEAN_NAME)
	HealthContributor aepStreamingHealthContributor(AepStreamingConnections connections,
			AepStreamingProperties properties) {
		Duration tokenTimeout = properties.getIms().getTokenRequestTimeout();
		List<AepStreamingConnections.Connection> all = connections.getConnections();
		if (all.size() == 1) {
			return indicator(all.get(0), tokenTimeout);
		}
		Map<String, HealthContributor> indicators = new LinkedHashMap<>();
		all.forEach((connection) -> indicators.put(connection.name(), indicator(connection, tokenTimeout)));
		return CompositeHealthContributor.fromMap(indicators);
	}

	private static AepStreamingHealthIndicator indicator(AepStreamingConnections.Connection connection,
			Duration tokenTimeout) {
		AepStreamingHealthIndicator indicator = new AepStreamingHealthIndicator(connection.deliveryEngine(),
				connection.tokenManager());
		indicator.setTokenTimeout(tokenTimeout);
		return indicator;
	}

}
