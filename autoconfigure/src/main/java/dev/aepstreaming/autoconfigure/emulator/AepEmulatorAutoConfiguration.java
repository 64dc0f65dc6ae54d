package dev.aepstreaming.autoconfigure.emulator;

import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.AepStreamingConnectionDetails;
import dev.aepstreaming.autoconfigure.AepStreamingProperties;
import dev.aepstreaming.emulator.AepEmulator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.log.LogMessage;

/**
 * Auto-configuration that starts an embedded {@link AepEmulator} when
 * {@code aep.streaming.emulator.enabled} is {@code true} and points the starter at it
 * through {@link AepStreamingConnectionDetails}, so that an application runs without an
 * Adobe account. Nothing is started while {@code aep.streaming.enabled} is {@code false}.
 *
 * @author aep-streaming
 */
@AutoConfiguration(before = AepStreamingAutoConfiguration.class)
@ConditionalOnClass(AepEmulator.class)
@ConditionalOnBooleanProperty(name = "aep.streaming.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("aep.streaming.emulator.enabled")
@EnableConfigurationProperties({ AepEmulatorProperties.class, AepStreamingProperties.class })
public final class AepEmulatorAutoConfiguration {

	private static final Log logger = LogFactory.getLog(AepEmulatorAutoConfiguration.class);

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	AepEmulator aepEmulator(AepEmulatorProperties properties) {
		AepEmulator emulator = AepEmulator.builder()
			.port(properties.getPort())
			.tokenLifetime(properties.getTokenLifetime())
			.build()
			.start();
		logger.info(
				LogMessage.format("Streaming to the embedded AEP emulator at %s instead of Adobe", emulator.baseUrl()));
		return emulator;
	}

	@Bean
	@ConditionalOnMissingBean(AepStreamingConnectionDetails.class)
	EmulatorConnectionDetails aepStreamingConnectionDetails(AepEmulator emulator, AepStreamingProperties properties) {
		return new EmulatorConnectionDetails(emulator, properties.getConnectionId());
	}

}
