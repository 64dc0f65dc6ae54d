package dev.aepstreaming.autoconfigure.emulator;

import java.util.Map;

import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.AepStreamingConnectionDetails;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.ims.ImsTokenManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AepEmulatorAutoConfiguration}.
 *
 * @author aep-streaming
 */
class AepEmulatorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepEmulatorAutoConfiguration.class, AepStreamingAutoConfiguration.class));

	@Test
	void whenEnabledWithoutAnyOtherPropertyThenEventsAreStreamedToTheEmbeddedEmulator() {
		this.contextRunner
			.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-1",
					"aep.streaming.xdm.schema-id=https://ns.adobe.com/emulator/schemas/events",
					"aep.streaming.xdm.dataset-id=dataset-1")
			.run((context) -> {
				AepEmulator emulator = context.getBean(AepEmulator.class);
				assertThat(emulator.isRunning()).isTrue();
				assertThat(context.getBean(AepStreamingConnectionDetails.class).getBaseUrl())
					.isEqualTo(emulator.baseUrl());
				StreamingResult result = context.getBean(StreamingTemplate.class)
					.send(Map.of("_id", "event-1", "timestamp", "2026-12-03T10:00:00Z"));
				assertThat(result.statusCode()).isEqualTo(200);
				assertThat(result.xactionId()).isNotBlank();
				assertThat(emulator.recorder().acceptedMessageCount()).isEqualTo(1);
				assertThat(context.getBean(ImsTokenManager.class).getTokenRequestCount()).isEqualTo(1);
			});
	}

	@Test
	void whenTheContextClosesThenTheEmulatorStops() {
		this.contextRunner.withPropertyValues("aep.streaming.emulator.enabled=true").run((context) -> {
			AepEmulator emulator = context.getBean(AepEmulator.class);
			context.close();
			assertThat(emulator.isRunning()).isFalse();
		});
	}

	@Test
	void whenNotEnabledThenNoEmulatorIsStarted() {
		this.contextRunner
			.withPropertyValues("aep.streaming.connection-id=conn", "aep.streaming.ims.client-id=c",
					"aep.streaming.ims.client-secret=s", "aep.streaming.ims.org-id=o")
			.run((context) -> assertThat(context).doesNotHaveBean(AepEmulator.class)
				.hasSingleBean(AepStreamingConnectionDetails.class));
	}

	@Test
	void whenStreamingIsDisabledThenNoEmulatorIsStarted() {
		this.contextRunner.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(AepEmulator.class)
				.doesNotHaveBean(AepStreamingConnectionDetails.class));
	}

	@Test
	void whenTheUserDefinesAnEmulatorThenItIsTheOneStreamedTo() {
		try (AepEmulator own = AepEmulator.builder().build().start()) {
			this.contextRunner.withBean(AepEmulator.class, () -> own)
				.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-1")
				.run((context) -> {
					assertThat(context).getBean(AepEmulator.class).isSameAs(own);
					context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{\"id\":1}"));
					assertThat(own.recorder().acceptedMessageCount()).isEqualTo(1);
				});
		}
	}

	@Test
	void whenTheUserDefinesConnectionDetailsThenTheyAreUsedInsteadOfTheEmulators() {
		try (AepEmulator elsewhere = AepEmulator.builder().build().start()) {
			this.contextRunner
				.withBean(AepStreamingConnectionDetails.class,
						() -> new EmulatorConnectionDetails(elsewhere, "elsewhere-connection"))
				.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-1")
				.run((context) -> {
					assertThat(context).hasSingleBean(AepStreamingConnectionDetails.class);
					assertThat(context.getBean(AepStreamingConnectionDetails.class).getBaseUrl())
						.isEqualTo(elsewhere.baseUrl());
					context.getBean(StreamingTemplate.class).send(StreamingMessage.raw("{\"id\":1}"));
					assertThat(elsewhere.recorder().messages("elsewhere-connection")).hasSize(1);
					assertThat(context.getBean(AepEmulator.class).recorder().acceptedMessageCount()).isZero();
				});
		}
	}

	@Test
	void whenTheEmulatorIsNotOnTheClasspathThenTheAutoConfigurationBacksOff() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(AepEmulator.class))
			.withPropertyValues("aep.streaming.emulator.enabled=true", "aep.streaming.connection-id=conn",
					"aep.streaming.ims.client-id=c", "aep.streaming.ims.client-secret=s", "aep.streaming.ims.org-id=o")
			.run((context) -> assertThat(context).doesNotHaveBean(AepEmulator.class));
	}

}
