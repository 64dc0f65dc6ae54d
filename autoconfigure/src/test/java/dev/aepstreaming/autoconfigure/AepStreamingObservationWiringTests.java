package dev.aepstreaming.autoconfigure;

import java.util.Map;

import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.autoconfigure.emulator.AepEmulatorAutoConfiguration;
import dev.aepstreaming.observation.DefaultImsTokenRequestObservationConvention;
import dev.aepstreaming.observation.DefaultStreamingSendObservationConvention;
import dev.aepstreaming.observation.ImsTokenRequestObservationConvention;
import dev.aepstreaming.observation.StreamingSendContext;
import dev.aepstreaming.observation.StreamingSendObservationConvention;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link AepStreamingAutoConfiguration} observes the deliveries and token
 * requests of the connections with the application's observation registry and
 * conventions, unless {@code aep.streaming.observations.enabled} is {@code false}.
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
	void conventionsOfTheApplicationNameTheObservationsOfEveryConnection() {
		this.contextRunner.withBean(TestObservationRegistry.class, () -> this.registry)
			.withBean(StreamingSendObservationConvention.class, () -> new DefaultStreamingSendObservationConvention() {

				@Override
				public String getName() {
					return "orders.aep.send";
				}

				@Override
				public KeyValues getLowCardinalityKeyValues(StreamingSendContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "checkout");
				}

			})
			.withBean(ImsTokenRequestObservationConvention.class,
					() -> new DefaultImsTokenRequestObservationConvention() {

						@Override
						public String getName() {
							return "orders.ims.token";
						}

					})
			.withPropertyValues("aep.streaming.connections.orders.connection-id=orders-connection")
			.run((context) -> {
				context.getBean(StreamingTemplate.class).send(event());
				context.getBean(StreamingTemplates.class).get("orders").send(event());
				assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo("aep.streaming.send", 0)
					.hasNumberOfObservationsWithNameEqualTo("aep.streaming.token.request", 0)
					.hasNumberOfObservationsWithNameEqualTo("orders.aep.send", 2)
					.hasNumberOfObservationsWithNameEqualTo("orders.ims.token", 1)
					.forAllObservationsWithNameEqualTo("orders.aep.send",
							(observation) -> observation.hasLowCardinalityKeyValue("team", "checkout"));
				assertThat(this.registry)
					.hasAnObservation((observation) -> observation.hasNameEqualTo("orders.aep.send")
						.hasLowCardinalityKeyValue("aep.streaming.connection", "orders"));
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
