package dev.aepstreaming.autoconfigure;

import java.lang.reflect.RecordComponent;
import java.util.List;

import dev.aepstreaming.BatchMessageResult;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.delivery.DeadLetter;
import dev.aepstreaming.xdm.XdmEnvelopeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AepStreamingRuntimeHints}.
 *
 * @author aep-streaming
 */
class AepStreamingRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	AepStreamingRuntimeHintsTests() {
		new AepStreamingRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@ParameterizedTest
	@ValueSource(classes = { StreamingResult.class, BatchResult.class, BatchMessageResult.class })
	void everyComponentOfAResultRecordCanBeReadByJackson(Class<?> result) {
		assertThat(result.getRecordComponents()).isNotEmpty()
			.allSatisfy((component) -> assertThat(
					RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
				.as(component.getName())
				.accepts(this.hints));
	}

	@ParameterizedTest
	@ValueSource(classes = { StreamingResult.class, BatchResult.class, BatchMessageResult.class })
	void resultRecordCanBeCreatedByJacksonThroughItsCanonicalConstructor(Class<?> result) throws Exception {
		Class<?>[] componentTypes = List.of(result.getRecordComponents())
			.stream()
			.map(RecordComponent::getType)
			.toArray(Class<?>[]::new);
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(result.getDeclaredConstructor(componentTypes))).accepts(this.hints);
	}

	@Test
	void derivedPropertiesThatJacksonWritesCanBeRead() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BatchResult.class, "isAllSuccessful"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BatchMessageResult.class, "isSuccess"))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(BatchMessageResult.class, "isRetryable"))
			.accepts(this.hints);
	}

	@ParameterizedTest
	@ValueSource(classes = { StreamingMessage.class, DeadLetter.class, XdmEnvelopeSettings.class })
	void typesThatJacksonNeverReadsByReflectionGetNoHint(Class<?> type) {
		assertThat(RuntimeHintsPredicates.reflection().onType(type)).rejects(this.hints);
	}

	@Test
	void registrarIsListedInAotFactories() {
		List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
			.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class);
		assertThat(registrars).hasAtLeastOneElementOfType(AepStreamingRuntimeHints.class);
	}

	@Test
	void failureAnalyzerListedInSpringFactoriesIsCoveredBySpringsOwnHints() throws Exception {
		RuntimeHints allHints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(allHints, getClass().getClassLoader()));
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/spring.factories")).accepts(allHints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(InvalidAepStreamingConfigurationFailureAnalyzer.class.getDeclaredConstructor()))
			.accepts(allHints);
	}

}
