package dev.aepstreaming.emulator;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit Jupiter extension that runs an {@link AepEmulator} for the tests of a class.
 * <pre class="code">
 * &#64;RegisterExtension
 * static final AepEmulatorExtension aep = new AepEmulatorExtension();
 * </pre> Registered on a static field, the emulator starts before the first test of the
 * class and stops after the last one; on an instance field it starts and stops around
 * each test. Between tests the recorder, the faults, the response variants and the
 * synchronous validation limit are reset, so that each test starts clean while tokens
 * already issued stay valid. Test methods can also declare an {@link AepEmulator}
 * parameter.
 *
 * @author aep-streaming
 */
public final class AepEmulatorExtension
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

	private final Supplier<AepEmulator> factory;

	private volatile AepEmulator emulator;

	private volatile String owner;

	/**
	 * Create an extension for an emulator with every default.
	 */
	public AepEmulatorExtension() {
		this(AepEmulator.builder());
	}

	/**
	 * Create an extension for an emulator configured by the given builder.
	 * @param builder the configured builder
	 */
	public AepEmulatorExtension(AepEmulator.Builder builder) {
		this.factory = builder::build;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		startIfNeeded(context);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		if (!startIfNeeded(context)) {
			this.emulator.reset();
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		stopIfOwner(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stopIfOwner(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == AepEmulator.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return emulator();
	}

	/**
	 * Return the running emulator.
	 * @return the emulator
	 * @throws IllegalStateException outside the tests of the registering class
	 */
	public AepEmulator emulator() {
		AepEmulator current = this.emulator;
		if (current == null) {
			throw new IllegalStateException("The emulator runs only while the tests of its class run");
		}
		return current;
	}

	/**
	 * Return the base URL of the streaming endpoints.
	 * @return the base URL
	 */
	public String baseUrl() {
		return emulator().baseUrl();
	}

	/**
	 * Return the URI of the token endpoint.
	 * @return the token URI
	 */
	public String tokenUri() {
		return emulator().tokenUri();
	}

	/**
	 * Return the recorder of the running emulator.
	 * @return the recorder
	 */
	public EmulatorRecorder recorder() {
		return emulator().recorder();
	}

	/**
	 * Return the faults of the running emulator.
	 * @return the faults
	 */
	public EmulatorFaults faults() {
		return emulator().faults();
	}

	private synchronized boolean startIfNeeded(ExtensionContext context) {
		if (this.emulator != null) {
			return false;
		}
		this.emulator = this.factory.get().start();
		this.owner = context.getUniqueId();
		return true;
	}

	private synchronized void stopIfOwner(ExtensionContext context) {
		if (this.emulator != null && context.getUniqueId().equals(this.owner)) {
			this.emulator.close();
			this.emulator = null;
			this.owner = null;
		}
	}

}
