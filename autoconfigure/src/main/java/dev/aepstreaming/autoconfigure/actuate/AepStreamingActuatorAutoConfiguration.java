package dev.aepstreaming.autoconfigure.actuate;

import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of what Spring Boot Actuator needs to know about AEP streaming. The
 * sanitizing function stays when {@code aep.streaming.enabled} is {@code false}: the
 * client secret is then still in the environment, and the {@code env} endpoint would
 * otherwise show it wherever values are shown.
 *
 * @author aep-streaming
 */
@AutoConfiguration(after = AepStreamingAutoConfiguration.class)
@ConditionalOnClass(SanitizingFunction.class)
public final class AepStreamingActuatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "aepStreamingSanitizingFunction")
	SanitizingFunction aepStreamingSanitizingFunction() {
		return new AepStreamingSanitizingFunction();
	}

}
