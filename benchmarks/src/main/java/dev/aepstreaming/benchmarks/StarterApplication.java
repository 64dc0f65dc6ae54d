package dev.aepstreaming.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.emulator.AepEmulatorAutoConfiguration;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.ims.ImsTokenManager;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * An application context with the starter auto-configured as a user would have it,
 * pointed at a streaming endpoint and a token endpoint on loopback.
 *
 * @author aep-streaming
 */
final class StarterApplication implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private StarterApplication(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * The properties that point the starter at the endpoints, with the client-side rate
	 * limit off and room for {@code maxInFlight} requests, so that only the client's own
	 * cost is measured.
	 * @param baseUrl the streaming endpoint
	 * @param emulator the token endpoint
	 * @param maxInFlight the in-flight cap
	 * @return the properties
	 */
	static Map<String, Object> properties(String baseUrl, AepEmulator emulator, int maxInFlight) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "WARN");
		properties.put("aep.streaming.base-url", baseUrl);
		properties.put("aep.streaming.connection-id", ExperienceEvents.CONNECTION_ID);
		properties.put("aep.streaming.flow-id", ExperienceEvents.FLOW_ID);
		properties.put("aep.streaming.ims.token-uri", emulator.tokenUri());
		properties.put("aep.streaming.ims.client-id", emulator.clientId());
		properties.put("aep.streaming.ims.client-secret", emulator.clientSecret());
		properties.put("aep.streaming.ims.org-id", emulator.orgId());
		properties.put("aep.streaming.ims.scopes", emulator.credential().scopeParameter());
		properties.put("aep.streaming.xdm.schema-id", ExperienceEvents.SCHEMA_ID);
		properties.put("aep.streaming.xdm.dataset-id", ExperienceEvents.DATASET_ID);
		properties.put("aep.streaming.rate-limit.enabled", false);
		properties.put("aep.streaming.max-in-flight", maxInFlight);
		return properties;
	}

	static StarterApplication start(Map<String, Object> properties) {
		return new StarterApplication(run(properties));
	}

	static ConfigurableApplicationContext run(Map<String, Object> properties) {
		return new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.properties(properties)
			.run();
	}

	ReactiveStreamingTemplate template() {
		return this.context.getBean(ReactiveStreamingTemplate.class);
	}

	ImsTokenManager tokenManager() {
		return this.context.getBean(ImsTokenManager.class);
	}

	DeliveryEngine deliveryEngine() {
		return this.context.getBean(DeliveryEngine.class);
	}

	StreamingHttpClient httpClient() {
		return this.context.getBean(StreamingHttpClient.class);
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * Auto-configuration as in an application, without the embedded emulator, which the
	 * benchmarks start themselves. {@link AepStreamingAutoConfiguration} is excluded by
	 * property for the start-up comparison.
	 * <p>
	 * One change from Boot's defaults: the context's {@link ReactorResourceFactory} has
	 * event loops of its own. Boot's default factory manages Reactor Netty's global
	 * resources and disposes them when the context closes, which would also stop the
	 * emulator's token endpoint (it serves on those global loops) while the benchmarks
	 * still need it. The starter's HTTP clients run on event loops of their own either
	 * way, so what is measured is the same.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(exclude = AepEmulatorAutoConfiguration.class)
	static class BenchmarkApplication {

		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			factory.setShutdownQuietPeriod(Duration.ZERO);
			return factory;
		}

	}

}
