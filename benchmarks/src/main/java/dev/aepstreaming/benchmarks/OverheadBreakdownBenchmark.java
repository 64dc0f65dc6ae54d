package dev.aepstreaming.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.http.ImsBearerExchangeFilterFunction;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.ims.ImsTokenManager;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 1b: where the starter's cost over the limit goes, by adding the starter's
 * layers to the limit one at a time, all sending pre-serialized envelopes at the same
 * concurrency, alternating rounds.
 *
 * @author aep-streaming
 */
final class OverheadBreakdownBenchmark {

	private static final int CONCURRENCY = 16;

	private static final JsonMapper jsonMapper = new JsonMapper();

	private OverheadBreakdownBenchmark() {
	}

	static void run(BenchmarkSettings settings, Report report) {
		try (LoopbackAep aep = new LoopbackAep();
				AepEmulator emulator = Endpoints.tokenEndpoint(Duration.ofDays(1));
				StarterApplication starter = StarterApplication
					.start(StarterApplication.properties(aep.baseUrl(), emulator, 256))) {
			ImsTokenManager tokenManager = starter.tokenManager();
			String token = tokenManager.getToken().block().getTokenValue();
			WebClient limit = client(aep, HttpClient.create()).defaultHeaders((headers) -> headers.setBearerAuth(token))
				.build();
			WebClient withTimeouts = client(aep,
					HttpClient.create()
						.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
						.responseTimeout(Duration.ofSeconds(30)))
				.defaultHeaders((headers) -> headers.setBearerAuth(token))
				.build();
			WebClient withFilter = client(aep, HttpClient.create())
				.filter(new ImsBearerExchangeFilterFunction(tokenManager, emulator.clientId(), emulator.orgId()))
				.build();
			StreamingHttpClient streamingClient = starter.httpClient();
			ReactiveStreamingTemplate template = starter.template();
			List<Contender> contenders = List.of(new Contender("limit, envelope pre-serialized", send(limit), () -> 0),
					new Contender("limit + connect and response timeouts on the `HttpClient`", send(withTimeouts),
							() -> 0),
					new Contender("limit + `ImsBearerExchangeFilterFunction` instead of a static header",
							send(withFilter), () -> 0),
					new Contender("limit + AEP's answer parsed to a JSON tree",
							() -> send(limit).get().map((answer) -> jsonMapper.readTree((byte[]) answer)), () -> 0),
					new Contender("`StreamingHttpClient#send` (the three together)",
							() -> streamingClient.send(envelope(), false), () -> 0),
					new Contender(
							"**starter** (`ReactiveStreamingTemplate#send`: also the envelope and the delivery engine)",
							() -> template.send(ExperienceEvents.entity()), () -> 0));
			Contender.alternate(contenders, CONCURRENCY, settings);
			report.heading("1b. Where the starter's cost over the limit goes");
			report.paragraph(
					"The limit with one of the starter's layers added at a time, then all of them, at concurrency "
							+ CONCURRENCY
							+ ", alternating rounds as above. Except for the last row, every client sends an envelope "
							+ "serialized with Jackson in the send (as the starter does) and reads the answer as bytes. "
							+ "The ratios point at the layers that cost most on this machine; they do not add up exactly, "
							+ "since the layers share the CPU with the server and with each other.");
			report.table("client", "events/s", "vs limit", "per-round events/s", "p50", "p99", "failures");
			double base = contenders.get(0).throughput();
			for (Contender contender : contenders) {
				report.row(contender.name(), Report.number(contender.throughput()),
						Report.ratio(contender.throughput() / base),
						String.join(" / ", contender.roundThroughputs().stream().map(Report::number).toList()),
						Report.millis(contender.percentileMillis(50)), Report.millis(contender.percentileMillis(99)),
						ThroughputBenchmark.failures(contender));
			}
			report.endTable();
		}
	}

	private static WebClient.Builder client(LoopbackAep aep, HttpClient httpClient) {
		return WebClient.builder()
			.baseUrl(aep.baseUrl())
			.clientConnector(new ReactorClientHttpConnector(httpClient))
			.defaultHeaders((headers) -> {
				headers.set(ImsBearerExchangeFilterFunction.API_KEY_HEADER, "emulator-client-id");
				headers.set(ImsBearerExchangeFilterFunction.ORG_ID_HEADER, ExperienceEvents.ORG_ID);
				headers.set("x-sandbox-name", "prod");
				headers.set("x-adobe-flow-id", ExperienceEvents.FLOW_ID);
			});
	}

	private static Supplier<Mono<?>> send(WebClient webClient) {
		return () -> webClient.post()
			.uri("/collection/{connectionId}", ExperienceEvents.CONNECTION_ID)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(envelope())
			.exchangeToMono((response) -> response.bodyToMono(byte[].class));
	}

	private static byte[] envelope() {
		return jsonMapper.writeValueAsBytes(ExperienceEvents.envelope(ExperienceEvents.entity()));
	}

}
