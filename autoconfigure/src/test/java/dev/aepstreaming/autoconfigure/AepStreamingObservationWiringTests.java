package dev.aepstreaming.autoconfigure;

import java.util.Map;

import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.autoconfigure.emulator.AepEmulatorAutoConfiguration;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link AepStreamingAutoConfiguration} observes the default connection's
 * deliveries and token requests with the application's observation registry, unless
 * {@code aep.streaming.observations.enabled} is {@code false}.
 *
 * @author aep-streaming
 */
class AepStreamingObservationWiringTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepEmulatorAutoConfiguration.class, AepStreamingAutoConfiguration.class))
		.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-1",
				"aep.streaming.xdm.schema-id=https://ns.adobe.com/emulator/schemas/events",
				"aep.streaming.xdm.dataset-id=dataset-1");

	@Test
	void sendsAndTokenRequestsAreObservedWithTheApplicationsRegistry() {
		this.contextRunner.withBean(TestObservationRegistry.class, () -> this.registry).run((context) -> {
			context.getBean(StreamingTemplate.class).send(event());
			assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("aep.streaming.send", 1)
				.hasObservationWithNameEqualTo("aep.streaming.send")
				.that()
				.hasLowCardinalityKeyValue("aep.streaming.connection", "default")
				.hasLowCardinalityKeyValue("outcome", "acknowledged")
				.hasBeenStopped();
			assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("aep.streaming.token.request", 1)
				.hasObservationWithNameEqualTo("aep.streaming.token.request")
				.that()
				.hasLowCardinalityKeyValue("aep.streaming.credential", "default")
				.hasLowCardinalityKeyValue("outcome", "success");
		});
	}

	@Test
	void nothingIsObservedWhenObservationsAreDisabled() {
		this.contextRunner.withBean(TestObservationRegistry.class, () -> this.registry)
			.withPropertyValues("aep.streaming.observations.enabled=false")
			.run((context) -> {
				context.getBean(StreamingTemplate.class).send(event());
				assertThat(this.registry).doesNotHaveAnyObservation();
			});
	}

	@Test
	void sendsWorkWithoutAnObservationRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(TestObservationRegistry.class);
			assertThat(context.getBean(StreamingTemplate.class).send(event()).statusCode()).isEqualTo(200);
		});
	}

	private static Map<String, Object> event() {
		return Map.of("_id", "evt-1", "timestamp", "2026-12-03T10:00:00Z");
	}

}
