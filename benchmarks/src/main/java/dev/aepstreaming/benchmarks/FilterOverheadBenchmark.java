package dev.aepstreaming.benchmarks;

import java.util.Collection;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link BearerFilterBenchmark} with JMH in a forked JVM, with the GC profiler for
 * the allocation per operation.
 *
 * @author aep-streaming
 */
final class FilterOverheadBenchmark {

	private FilterOverheadBenchmark() {
	}

	static void run(BenchmarkSettings settings, Report report) throws Exception {
		TimeValue iteration = TimeValue.milliseconds(settings.jmhIterationTime().toMillis());
		Options options = new OptionsBuilder().include(BearerFilterBenchmark.class.getName() + "\\.")
			.forks(1)
			.warmupIterations(settings.quick() ? 1 : 2)
			.warmupTime(iteration)
			.measurementIterations(settings.jmhIterations())
			.measurementTime(iteration)
			.threads(1)
			.addProfiler(GCProfiler.class)
			.shouldFailOnError(true)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		report.heading("JMH: the bearer filter's own cost");
		report.paragraph("`BearerFilterBenchmark` (JMH 1.37, 1 fork, " + (settings.quick() ? 1 : 2) + " warm-up and "
				+ settings.jmhIterations() + " measurement iterations of " + settings.jmhIterationTime().toMillis()
				+ " ms, `-prof gc`, one thread): `ImsBearerExchangeFilterFunction#filter` with a cached token "
				+ "against a filter setting the same three headers from constants, in front of an exchange "
				+ "answering at once, `block()`ed. The difference is the token manager's look-up and the 401 "
				+ "handling's wrapping.");
		report.table("benchmark", "ns/op", "± error", "B/op (gc.alloc.rate.norm)");
		for (RunResult result : results) {
			String name = result.getParams().getBenchmark();
			Result<?> primary = result.getPrimaryResult();
			report.row("`" + name.substring(name.lastIndexOf('.') + 1) + "`", Report.number(primary.getScore()),
					Report.number(primary.getScoreError()), Report.number(allocationPerOperation(result)));
		}
		report.endTable();
	}

	private static double allocationPerOperation(RunResult result) {
		for (Map.Entry<String, Result> entry : result.getSecondaryResults().entrySet()) {
			if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
				return entry.getValue().getScore();
			}
		}
		return Double.NaN;
	}

}
