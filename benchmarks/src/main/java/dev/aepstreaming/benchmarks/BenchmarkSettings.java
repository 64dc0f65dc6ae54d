package dev.aepstreaming.benchmarks;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How long and how often each benchmark runs: the full suite, or a quick mode that
 * finishes in about a minute as a smoke check.
 *
 * @param quick whether this is the quick mode
 * @param output where the report is written
 * @param sampleAppJar the sample application's jar, for its peak RSS
 * @param warmup the warm-up of each variant before measured rounds
 * @param round the length of one measured round of one variant
 * @param rounds the number of measured rounds per variant
 * @param lifetimes the number of token lifetimes of the token benchmark
 * @param windowLifetimes the number of token lifetimes of the refresh window benchmark
 * @param jitWarmup how long the limit and the starter run once at the start, so that the
 * JIT has compiled the common paths before any comparison
 * @param startupRuns the number of measured start-ups per variant
 * @param jmhIterations the number of JMH measurement iterations
 * @param jmhIterationTime the length of a JMH iteration
 * @author aep-streaming
 */
record BenchmarkSettings(boolean quick, Path output, Path sampleAppJar, Duration warmup, Duration round, int rounds,
		int lifetimes, int windowLifetimes, Duration jitWarmup, int startupRuns, int jmhIterations,
		Duration jmhIterationTime) {

	static final Duration TOKEN_LATENCY = Duration.ofMillis(20);

	/**
	 * Lifetime of the emulator's short tokens; IMS, and so the emulator, announce one
	 * second less in {@code expires_in}, which is the lifetime the client knows.
	 */
	static final Duration SHORT_TOKEN_LIFETIME = Duration.ofSeconds(3);

	static final Duration ANNOUNCED_SHORT_TOKEN_LIFETIME = SHORT_TOKEN_LIFETIME.minusSeconds(1);

	static final int[] CONCURRENCY = { 1, 16, 256 };

	static BenchmarkSettings from(String... args) {
		boolean quick = Boolean.getBoolean("bench.quick");
		Path output = null;
		Path sampleAppJar = Path.of("sample-app/target/aep-streaming-sample-app.jar");
		for (String arg : args) {
			if (arg.equals("--quick") || arg.equals("quick")) {
				quick = true;
			}
			else if (arg.startsWith("--output=")) {
				output = Path.of(arg.substring("--output=".length()));
			}
			else if (arg.startsWith("--sample-app=")) {
				sampleAppJar = Path.of(arg.substring("--sample-app=".length()));
			}
			else {
				throw new IllegalArgumentException(
						"Unknown argument '" + arg + "'; expected --quick, --output=<file> or --sample-app=<jar>");
			}
		}
		if (quick) {
			return new BenchmarkSettings(true,
					(output != null) ? output : Path.of("benchmarks/target/BENCHMARKS-quick.md"), sampleAppJar,
					Duration.ofMillis(500), Duration.ofSeconds(1), 1, 3, 2, Duration.ZERO, 3, 2,
					Duration.ofMillis(500));
		}
		return new BenchmarkSettings(false, (output != null) ? output : Path.of("BENCHMARKS.md"), sampleAppJar,
				Duration.ofSeconds(2), Duration.ofSeconds(2), 5, 10, 5, Duration.ofSeconds(5), 10, 3,
				Duration.ofSeconds(1));
	}

}
