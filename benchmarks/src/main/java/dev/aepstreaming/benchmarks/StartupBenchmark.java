package dev.aepstreaming.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.emulator.AepEmulator;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark 7: how long {@code SpringApplication.run} takes with and without the
 * starter's auto-configuration, in the same JVM after a warm-up.
 *
 * @author aep-streaming
 */
final class StartupBenchmark {

	private static final int WARMUP_RUNS = 3;

	private StartupBenchmark() {
	}

	static void run(BenchmarkSettings settings, Report report) {
		try (LoopbackAep aep = new LoopbackAep(); AepEmulator emulator = Endpoints.tokenEndpoint(Duration.ofDays(1))) {
			Map<String, Object> with = StarterApplication.properties(aep.baseUrl(), emulator, 256);
			Map<String, Object> without = StarterApplication.properties(aep.baseUrl(), emulator, 256);
			without.put("spring.autoconfigure.exclude", AepStreamingAutoConfiguration.class.getName());
			List<Long> withTimes = new ArrayList<>();
			List<Long> withoutTimes = new ArrayList<>();
			long tokenRequestsBefore = emulator.recorder().tokenRequestCount();
			for (int i = 0; i < WARMUP_RUNS + settings.startupRuns(); i++) {
				long withTime = startAndClose(with, true);
				long withoutTime = startAndClose(without, false);
				if (i >= WARMUP_RUNS) {
					withTimes.add(withTime);
					withoutTimes.add(withoutTime);
				}
			}
			long tokenRequests = emulator.recorder().tokenRequestCount() - tokenRequestsBefore;
			double withMedian = median(withTimes) / 1e6;
			double withoutMedian = median(withoutTimes) / 1e6;
			report.heading("7. Start-up");
			report.paragraph("`SpringApplication.run` of the same application (no web server, Boot's "
					+ "auto-configuration of Jackson, WebClient and Reactor Netty on the class path) with the "
					+ "starter's auto-configuration and with it excluded (`spring.autoconfigure.exclude`), "
					+ "alternating, in this JVM after " + WARMUP_RUNS + " warm-up pairs; the median of "
					+ settings.startupRuns() + " runs each. Each context is closed after it started (not timed). "
					+ "Token requests during all " + 2 * (WARMUP_RUNS + settings.startupRuns()) + " start-ups: "
					+ tokenRequests + " (the starter fetches its first token at the first send, not at start-up, "
					+ "unless this number says otherwise).");
			report.table("context", "median", "min", "max", "runs");
			report.row("without the starter", Report.millis(withoutMedian),
					Report.millis(Collections.min(withoutTimes) / 1e6),
					Report.millis(Collections.max(withoutTimes) / 1e6), withoutTimes.size());
			report.row("**with the starter**", Report.millis(withMedian),
					Report.millis(Collections.min(withTimes) / 1e6), Report.millis(Collections.max(withTimes) / 1e6),
					withTimes.size());
			report.row("difference", Report.millis(withMedian - withoutMedian), "", "", "");
			report.endTable();
		}
	}

	private static long startAndClose(Map<String, Object> properties, boolean expectStarter) {
		long start = System.nanoTime();
		ConfigurableApplicationContext context = StarterApplication.run(properties);
		long elapsed = System.nanoTime() - start;
		try {
			boolean hasStarter = context.getBeanNamesForType(AepStreamingAutoConfiguration.class).length > 0;
			if (hasStarter != expectStarter) {
				throw new IllegalStateException(
						"Expected the starter " + (expectStarter ? "" : "not ") + "to be " + "auto-configured");
			}
		}
		finally {
			context.close();
		}
		return elapsed;
	}

	private static double median(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2.0;
	}

}
