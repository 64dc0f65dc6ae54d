package dev.aepstreaming.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.emulator.AepEmulator;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmarks 1 and 2: throughput and latency of single sends at several concurrencies,
 * the starter against a {@code WebClient} with a static bearer header (the limit of this
 * stack), a client that fetches a token per event and Spring Security's stock OAuth 2.0
 * filter.
 *
 * @author aep-streaming
 */
final class ThroughputBenchmark {

	static final double TARGET_RATIO = 0.95;

	private ThroughputBenchmark() {
	}

	static void run(BenchmarkSettings settings, Report report) {
		report.heading("1–2. Single sends: the starter against the limit and the alternatives");
		report.paragraph("Closed loop: a fixed number of sends in flight, each started when another ends. Per "
				+ "concurrency every client is created afresh, warmed up for " + settings.warmup().toMillis()
				+ " ms, then measured in " + settings.rounds() + " rounds of " + settings.round().toMillis()
				+ " ms, the clients alternating round by round. All send the same ~600-byte XDM ExperienceEvent "
				+ "in its envelope to the same loopback streaming endpoint (a bare Reactor Netty server "
				+ "answering at once with AEP's JSON) and get tokens from the emulator's IMS, which answers " + "after "
				+ BenchmarkSettings.TOKEN_LATENCY.toMillis() + " ms with 24-hour tokens.\n\n"
				+ "- **limit**: `WebClient` on Reactor Netty's defaults, a static `Authorization: Bearer` "
				+ "header (token fetched once beforehand), body encoded by the `WebClient`'s JSON codec, answer "
				+ "read as bytes.\n"
				+ "- **starter**: the auto-configured `ReactiveStreamingTemplate#send(xdmEntity)`, with "
				+ "`aep.streaming.rate-limit.enabled=false` and `aep.streaming.max-in-flight=256` "
				+ "(≥ every concurrency measured), so that neither caps it; retry and circuit breaker at their "
				+ "defaults (on). It builds the envelope, parses AEP's answer into a `StreamingResult` and "
				+ "goes through the delivery engine (buffer, in-flight permits, resilience).\n"
				+ "- **token per event**: the anti-pattern, a token request before every send.\n"
				+ "- **Spring Security stock**: `ServerOAuth2AuthorizedClientExchangeFilterFunction` over an "
				+ "`AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager`, client credentials, default "
				+ "provider and token response client (60 s clock skew, no single flight). The scopes are "
				+ "registered as one comma-separated scope, as IMS wants.\n\n"
				+ "Token requests are those the token endpoint received while the client was warmed up "
				+ "(from a cold start) and during its measured rounds.");
		report.table("concurrency", "client", "events/s", "vs limit", "per-round events/s", "p50", "p99", "failures",
				"token requests (warm-up / measured)");
		for (int concurrency : BenchmarkSettings.CONCURRENCY) {
			runAt(concurrency, settings, report);
		}
		report.endTable();
	}

	/**
	 * Run the limit and the starter once, unmeasured, so that the JIT has compiled the
	 * paths that every benchmark shares before the first comparison.
	 * @param settings the settings
	 */
	static void warmUp(BenchmarkSettings settings) {
		try (LoopbackAep aep = new LoopbackAep();
				AepEmulator emulator = Endpoints.tokenEndpoint(Duration.ofDays(1));
				StarterApplication starter = StarterApplication
					.start(StarterApplication.properties(aep.baseUrl(), emulator, 256))) {
			WebClient tokenClient = WebClient.builder()
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create()))
				.build();
			String token = Clients.fetchToken(tokenClient, emulator).block();
			ReactiveStreamingTemplate template = starter.template();
			LoadHarness.runFor(Clients.staticBearer(aep.baseUrl(), token, emulator.clientId()), 16,
					settings.jitWarmup(), null);
			LoadHarness.runFor(() -> template.send(ExperienceEvents.entity()), 16, settings.jitWarmup(), null);
		}
	}

	private static void runAt(int concurrency, BenchmarkSettings settings, Report report) {
		try (LoopbackAep aep = new LoopbackAep();
				AepEmulator emulator = Endpoints.tokenEndpoint(Duration.ofDays(1));
				StarterApplication starter = StarterApplication
					.start(StarterApplication.properties(aep.baseUrl(), emulator, 256))) {
			LongSupplier tokenRequests = () -> emulator.recorder().tokenRequestCount();
			WebClient tokenClient = WebClient.builder()
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create()))
				.build();
			String token = Clients.fetchToken(tokenClient, emulator).block();
			ReactiveStreamingTemplate template = starter.template();
			Contender limit = new Contender("limit (static bearer)",
					Clients.staticBearer(aep.baseUrl(), token, emulator.clientId()), tokenRequests);
			limit.addWarmupCount(1);
			Contender ours = new Contender("**starter**", () -> template.send(ExperienceEvents.entity()),
					tokenRequests);
			Contender perEvent = new Contender("token per event", Clients.tokenPerEvent(aep.baseUrl(), emulator),
					tokenRequests);
			Contender stock = new Contender("Spring Security stock",
					Clients.springSecurityStock(aep.baseUrl(), emulator), tokenRequests);
			List<Contender> contenders = List.of(limit, ours, perEvent, stock);
			Contender.alternate(contenders, concurrency, settings);
			double ratio = ours.throughput() / limit.throughput();
			for (Contender contender : contenders) {
				report.row(concurrency, contender.name(), Report.number(contender.throughput()),
						Report.ratio(contender.throughput() / limit.throughput()),
						String.join(" / ", contender.roundThroughputs().stream().map(Report::number).toList()),
						Report.millis(contender.percentileMillis(50)), Report.millis(contender.percentileMillis(99)),
						failures(contender), contender.warmupCount() + " / " + contender.measuredCount());
			}
			report.target("starter ≥ " + TARGET_RATIO + " × limit throughput at concurrency " + concurrency,
					ratio >= TARGET_RATIO, Report.ratio(ratio) + ", " + Report.number(ours.throughput()) + " vs "
							+ Report.number(limit.throughput()) + " events/s");
		}
	}

	static String failures(Contender contender) {
		if (contender.failures() == 0) {
			return "0";
		}
		Throwable failure = contender.firstFailure();
		String text = (failure != null) ? String.valueOf(failure).replace('|', '/').replace('\n', ' ') : "";
		return contender.failures() + " (first: " + ((text.length() > 160) ? text.substring(0, 160) + "…" : text) + ")";
	}

}
