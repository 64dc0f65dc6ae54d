package dev.aepstreaming.emulator;

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator on its own until the process is stopped:
 * {@code java -jar aep-streaming-emulator-<version>-standalone.jar [--option=value …]}.
 * <p>
 * Options: {@code --port} (8765 by default, {@code 0} for a free port),
 * {@code --token-lifetime} (seconds, or an ISO-8601 duration such as {@code PT30S}),
 * {@code --client-id}, {@code --client-secret}, {@code --org-id}, {@code --scopes}
 * (comma-separated), {@code --seed}, {@code --recorder-capacity} and
 * {@code --unauthenticated-connections} (comma-separated connection ids). On start it
 * prints the endpoints and the credential, including the client secret: that secret is
 * the emulator's own fake one, printed so that it can be pasted into an application's
 * configuration, and grants nothing anywhere else.
 *
 * @author aep-streaming
 */
public final class AepEmulatorApplication {

	/**
	 * The port of the standalone emulator unless {@code --port} says otherwise.
	 */
	public static final int DEFAULT_PORT = 8765;

	private AepEmulatorApplication() {
	}

	/**
	 * Start the emulator and block until the JVM shuts down.
	 * @param args the {@code --option=value} arguments
	 * @throws InterruptedException if the main thread is interrupted while waiting
	 */
	public static void main(String[] args) throws InterruptedException {
		AepEmulator emulator;
		try {
			emulator = builder(options(args)).build();
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			System.err.println("Invalid option: " + ex.getMessage());
			System.exit(2);
			return;
		}
		emulator.start();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			emulator.close();
			stopped.countDown();
		}, "aep-emulator-shutdown"));
		printBanner(emulator, System.out);
		stopped.await();
	}

	static AepEmulator.Builder builder(Map<String, String> options) {
		AepEmulator.Builder builder = AepEmulator.builder()
			.port(Integer.parseInt(options.getOrDefault("port", Integer.toString(DEFAULT_PORT))));
		if (options.containsKey("token-lifetime")) {
			builder.tokenLifetime(duration(options.get("token-lifetime")));
		}
		if (options.containsKey("seed")) {
			builder.seed(Long.parseLong(options.get("seed")));
		}
		if (options.containsKey("recorder-capacity")) {
			builder.recorderCapacity(Integer.parseInt(options.get("recorder-capacity")));
		}
		builder.credential(options.getOrDefault("client-id", EmulatorCredential.DEFAULT_CLIENT_ID),
				options.getOrDefault("client-secret", EmulatorCredential.DEFAULT_CLIENT_SECRET),
				options.getOrDefault("org-id", EmulatorCredential.DEFAULT_ORG_ID), options.containsKey("scopes")
						? commaSeparated(options.get("scopes")) : EmulatorCredential.DEFAULT_SCOPES);
		if (options.containsKey("unauthenticated-connections")) {
			commaSeparated(options.get("unauthenticated-connections")).forEach(builder::unauthenticatedConnection);
		}
		return builder;
	}

	static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("expected --option=value, got '" + arg + "'");
			}
			options.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		return options;
	}

	static void printBanner(AepEmulator emulator, PrintStream out) {
		out.println("AEP streaming emulator running at " + emulator.baseUrl() + " (stop with Ctrl+C)");
		out.println("  token URI:      " + emulator.tokenUri());
		out.println("  streaming:      " + emulator.baseUrl() + "/collection/{connectionId}");
		out.println("  batch:          " + emulator.baseUrl() + "/collection/batch/{connectionId}");
		out.println("  client id:      " + emulator.clientId());
		out.println("  client secret:  " + emulator.clientSecret() + "  (the emulator's own fake secret)");
		out.println("  org id:         " + emulator.orgId());
		out.println("  scopes:         " + emulator.credential().scopeParameter());
		out.println("  control:        " + emulator.baseUrl() + "/emulator");
		out.flush();
	}

	private static Duration duration(String value) {
		return value.startsWith("P") ? Duration.parse(value) : Duration.ofSeconds(Long.parseLong(value));
	}

	private static List<String> commaSeparated(String value) {
		return Arrays.stream(value.split(",")).map(String::trim).filter((part) -> !part.isEmpty()).toList();
	}

}
