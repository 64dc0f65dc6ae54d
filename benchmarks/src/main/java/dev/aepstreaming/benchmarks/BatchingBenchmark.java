package dev.aepstreaming.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.emulator.AepEmulator;

/**
 * Benchmark 5: events per second of the starter with auto-batching against the starter
 * with single sends, at the same concurrency.
 *
 * @author aep-streaming
 */
final class BatchingBenchmark {

	private static final int[] CONCURRENCY = { 16, 256 };

	private BatchingBenchmark() {
	}

	static void run(BenchmarkSettings settings, Report report) {
		report.heading("5. Auto-batching against single sends");
		report.paragraph("The same `ReactiveStreamingTemplate#send` calls, once with "
				+ "`aep.streaming.batch.enabled=false` (one request per event) and once with "
				+ "`aep.streaming.batch.enabled=true` at the default batch settings (200 messages or 1 MB per "
				+ "request, 20 ms linger, 16 batch requests in flight), alternating rounds as above; rate limit "
				+ "off, `max-in-flight=256`. Requests are those the streaming endpoint received in the measured "
				+ "rounds. Latency is per event, from the call to its acknowledgement. With fewer senders "
				+ "than a batch holds, every batch waits out the linger, so auto-batching then delivers at most "
				+ "senders / linger events per second (16 / 20 ms = 800 events/s): it pays off with many "
				+ "concurrent senders, not with few.");
		report.table("concurrency", "mode", "events/s", "vs single", "per-round events/s", "p50", "p99", "failures",
				"events per request");
		for (int concurrency : CONCURRENCY) {
			try (LoopbackAep singleAep = new LoopbackAep();
					LoopbackAep batchAep = new LoopbackAep();
					AepEmulator emulator = Endpoints.tokenEndpoint(Duration.ofDays(1));
					StarterApplication single = StarterApplication
						.start(StarterApplication.properties(singleAep.baseUrl(), emulator, 256));
					StarterApplication batched = StarterApplication.start(batchProperties(batchAep, emulator))) {
				ReactiveStreamingTemplate singleTemplate = single.template();
				ReactiveStreamingTemplate batchTemplate = batched.template();
				Contender singleSends = new Contender("single sends",
						() -> singleTemplate.send(ExperienceEvents.entity()), singleAep::requestCount);
				Contender batchSends = new Contender("**auto-batching**",
						() -> batchTemplate.send(ExperienceEvents.entity()), batchAep::requestCount);
				Contender.alternate(List.of(singleSends, batchSends), concurrency, settings);
				for (Contender contender : List.of(singleSends, batchSends)) {
					report.row(concurrency, contender.name(), Report.number(contender.throughput()),
							Report.ratio(contender.throughput() / singleSends.throughput()),
							String.join(" / ", contender.roundThroughputs().stream().map(Report::number).toList()),
							Report.millis(contender.percentileMillis(50)),
							Report.millis(contender.percentileMillis(99)), ThroughputBenchmark.failures(contender),
							Report.number(contender.successes() / (double) Math.max(1, contender.measuredCount())));
				}
			}
		}
		report.endTable();
	}

	private static Map<String, Object> batchProperties(LoopbackAep aep, AepEmulator emulator) {
		Map<String, Object> properties = StarterApplication.properties(aep.baseUrl(), emulator, 256);
		properties.put("aep.streaming.batch.enabled", true);
		return properties;
	}

}
