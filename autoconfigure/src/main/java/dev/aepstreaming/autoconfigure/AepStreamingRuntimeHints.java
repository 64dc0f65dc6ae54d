package dev.aepstreaming.autoconfigure;

import dev.aepstreaming.BatchMessageResult;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.StreamingResult;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Registers what a GraalVM native image needs at run time for the starter's public types
 * and that Spring's ahead-of-time processing does not infer by itself.
 * <p>
 * The results of a send, {@link StreamingResult}, {@link BatchResult} and
 * {@link BatchMessageResult}, are the values that applications hand on as JSON: as the
 * body of their own HTTP responses, in audit records, in messages to other systems.
 * Jackson reads a record through its components and {@code is…} methods by reflection,
 * which a native image refuses unless registered; Spring infers such hints only for the
 * declared types of controller methods and configuration properties. They get Spring's
 * binding hints, which cover the canonical constructor, the components and the derived
 * properties that Jackson also writes ({@link BatchResult#isAllSuccessful()},
 * {@link BatchMessageResult#isSuccess()}, {@link BatchMessageResult#isRetryable()}).
 * <p>
 * Nothing else needs a hint. The starter reads and writes JSON only as trees, maps and
 * bytes, never by reflection on its own types: AEP's answers are read as trees by
 * {@code AepResponseMapper}, IMS's token response as a map, and the envelope that
 * {@code StreamingMessageWriter} completes is made of maps. The auto-configurations, the
 * {@code @ConfigurationProperties} and the beans are processed ahead of time by Spring
 * Boot, and the failure analyzer listed in {@code META-INF/spring.factories} is covered
 * by Spring's own hints for that file. No class is loaded by name and no resource is read
 * at run time.
 * <p>
 * Note: the payloads given to {@code StreamingMessage} are the application's own types,
 * which Jackson serializes by reflection. An application that sends POJOs or records from
 * a native image registers them itself, for example with
 * {@code @RegisterReflectionForBinding}.
 *
 * @author aep-streaming
 */
public final class AepStreamingRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingRegistrar.registerReflectionHints(hints.reflection(), StreamingResult.class, BatchResult.class,
				BatchMessageResult.class);
	}

}
