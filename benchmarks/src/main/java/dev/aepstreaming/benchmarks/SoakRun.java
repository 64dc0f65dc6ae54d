package dev.aepstreaming.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.aepstreaming.BufferFullException;
import dev.aepstreaming.StreamingShutdownException;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.delivery.DeadLetterHandler;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import dev.aepstreaming.emulator.EmulatorFaults.OutageMode;
import dev.aepstreaming.ims.ImsTokenManager;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A soak run: several minutes of events at a steady rate through the auto-configured
 * starter, against the emulator with short-lived tokens and injected faults (server
 * errors, rate limits, dropped connections, failing token requests, token revocations and
 * short IMS outages). It checks that every event accepted ends acknowledged or in the
 * dead-letter handler, that the heap stays flat, and that token requests follow the token
 * lifetimes, then writes its result into {@code BENCHMARKS.md} between the soak markers:
 * <pre class="code">
 * ./mvnw -B -q -DskipTests -pl benchmarks -am package
 * java -cp benchmarks/target/aep-streaming-benchmarks.jar dev.aepstreaming.benchmarks.SoakRun [--minutes=3] [--rate=200]
 * </pre> It exits with {@code 1} when an event was lost or the heap grew. All load goes
 * to {@code 127.0.0.1}.
 *
 * @author aep-streaming
 */
public final class SoakRun {

	static final String COMMAND = "./mvnw -B -q -DskipTests -pl benchmarks -am package && java -cp "
			+ "benchmarks/target/aep-streaming-benchmarks.jar dev.aepstreaming.benchmarks.SoakRun";

	private static final String START_MARKER = "<!-- soak:start -->";

	private static final String END_MARKER = "<!-- soak:end -->";

	private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(10);

	private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

	private static final Duration REVOKE_EVERY = Duration.ofSeconds(45);

	private static final Duration OUTAGE_EVERY = Duration.ofSeconds(60);

	private static final Duration OUTAGE = Duration.ofSeconds(3);

	private static final long HEAP_GROWTH_ALLOWED = 32L * 1024 * 1024;

	private final AtomicLong submitted = new AtomicLong();

	private final AtomicLong acknowledged = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	private final AtomicLong deadLetters = new AtomicLong();

	private final AtomicLong completedTwice = new AtomicLong();

	private SoakRun() {
	}

	public static void main(String[] args) throws Exception {
		Duration duration = Duration.ofMinutes(3);
		int rate = 200;
		Path output = Path.of("BENCHMARKS.md");
		for (String arg : args) {
			if (arg.startsWith("--minutes=")) {
				duration = Duration.ofSeconds(Math.round(Double.parseDouble(arg.substring(10)) * 60));
			}
			else if (arg.startsWith("--rate=")) {
				rate = Integer.parseInt(arg.substring(7));
			}
			else if (arg.startsWith("--output=")) {
				output = Path.of(arg.substring(9));
			}
			else {
				System.err.println("Unknown argument " + arg + "; usage: SoakRun [--minutes=3] [--rate=200] "
						+ "[--output=BENCHMARKS.md]");
				System.exit(2);
			}
		}
		if (duration.isNegative() || duration.isZero() || rate <= 0) {
			System.err.println("--minutes and --rate must be positive");
			System.exit(2);
		}
		boolean passed = new SoakRun().run(duration, rate, output);
		System.exit(passed ? 0 : 1);
	}

	private boolean run(Duration duration, int rate, Path output) throws Exception {
		List<Sample> samples = new ArrayList<>();
		Instant started = Instant.now();
		long revocations = 0;
		long outages = 0;
		long tokenRequests;
		long accepted;
		try (AepEmulator emulator = AepEmulator.builder()
			.tokenLifetime(TOKEN_LIFETIME)
			.seed(42)
			.recorderCapacity(1000)
			.build()
			.start()) {
			injectFaults(emulator);
			try (ConfigurableApplicationContext context = application(emulator, rate)) {
				StreamingTemplate template = context.getBean(StreamingTemplate.class);
				ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
				long start = System.nanoTime();
				long end = start + duration.toNanos();
				long nextSample = start + SAMPLE_EVERY.toNanos();
				long nextRevocation = start + REVOKE_EVERY.toNanos();
				long nextOutage = start + OUTAGE_EVERY.toNanos();
				long sent = 0;
				samples.add(sample(0, tokenManager));
				while (System.nanoTime() < end) {
					long now = System.nanoTime();
					long due = (long) ((now - start) / 1e9 * rate);
					for (; sent < due; sent++) {
						send(template);
					}
					if (now >= nextRevocation) {
						emulator.revokeAllTokens();
						revocations++;
						nextRevocation += REVOKE_EVERY.toNanos();
					}
					if (now >= nextOutage) {
						emulator.faults().tokenOutage(OUTAGE, OutageMode.UNAVAILABLE);
						outages++;
						nextOutage += OUTAGE_EVERY.toNanos();
					}
					if (now >= nextSample) {
						samples.add(sample((now - start) / 1_000_000_000, tokenManager));
						nextSample += SAMPLE_EVERY.toNanos();
					}
					TimeUnit.MILLISECONDS.sleep(5);
				}
				tokenRequests = tokenManager.getTokenRequestCount();
				accepted = emulator.recorder().acceptedMessageCount();
			}
			awaitOutcomes(Duration.ofSeconds(60));
		}
		Duration elapsed = Duration.between(started, Instant.now());
		return report(output, duration, rate, elapsed, samples, tokenRequests, accepted, revocations, outages);
	}

	private ConfigurableApplicationContext application(AepEmulator emulator, int rate) {
		DeadLetterHandler handler = (letter) -> this.deadLetters.incrementAndGet();
		return new SpringApplicationBuilder(SoakApplication.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("soakDeadLetters", handler))
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN",
					"logging.level.dev.aepstreaming.delivery.LoggingDeadLetterHandler=OFF",
					"aep.streaming.base-url=" + emulator.baseUrl(), "aep.streaming.connection-id=soak",
					"aep.streaming.flow-id=soak-flow", "aep.streaming.ims.token-uri=" + emulator.tokenUri(),
					"aep.streaming.ims.client-id=" + emulator.clientId(),
					"aep.streaming.ims.client-secret=" + emulator.clientSecret(),
					"aep.streaming.ims.org-id=" + emulator.orgId(),
					"aep.streaming.xdm.schema-id=https://ns.adobe.com/soak/schemas/events",
					"aep.streaming.xdm.dataset-id=soak-dataset", "aep.streaming.retry.max-attempts=8",
					"aep.streaming.retry.initial-backoff=50ms", "aep.streaming.retry.max-backoff=2s",
					"aep.streaming.ims.initial-retry-backoff=200ms", "aep.streaming.ims.max-retry-backoff=2s",
					"aep.streaming.buffer.capacity=" + Math.max(1000, rate * 10))
			.run();
	}

	private void injectFaults(AepEmulator emulator) {
		emulator.faults()
			.errorRate(EmulatorEndpoint.SINGLE, 503, 0.03)
			.errorRate(EmulatorEndpoint.SINGLE, 429, 0.02)
			.retryAfter(EmulatorEndpoint.SINGLE, Duration.ZERO)
			.dropConnections(EmulatorEndpoint.SINGLE, 0.005)
			.errorRate(EmulatorEndpoint.TOKEN, 503, 0.05)
			.retryAfter(EmulatorEndpoint.TOKEN, Duration.ZERO);
	}

	private void send(StreamingTemplate template) {
		this.submitted.incrementAndGet();
		AtomicLong completions = new AtomicLong();
		template.sendAsync(Map.of("_id", UUID.randomUUID().toString(), "timestamp", Instant.now().toString(),
				"eventType", "web.webpagedetails.pageViews"))
			.whenComplete((result, ex) -> {
				if (completions.incrementAndGet() > 1) {
					this.completedTwice.incrementAndGet();
				}
				if (ex == null) {
					this.acknowledged.incrementAndGet();
				}
				else if (ex instanceof BufferFullException
						|| (ex instanceof StreamingShutdownException && ex.getMessage().contains("not accepted"))) {
					this.refused.incrementAndGet();
				}
				else {
					this.failed.incrementAndGet();
				}
			});
	}

	private void awaitOutcomes(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (outcomes() < this.submitted.get() && System.nanoTime() < deadline) {
			TimeUnit.MILLISECONDS.sleep(50);
		}
	}

	private long outcomes() {
		return this.acknowledged.get() + this.failed.get() + this.refused.get();
	}

	private Sample sample(long second, ImsTokenManager tokenManager) {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		Sample sample = new Sample(second, memory.getHeapMemoryUsage().getUsed(), this.submitted.get(),
				this.acknowledged.get(), this.failed.get(), tokenManager.getTokenRequestCount());
		System.out.printf(Locale.ROOT, "%4ds heap=%.1f MB submitted=%d acknowledged=%d failed=%d tokens=%d%n",
				sample.second(), sample.heapBytes() / 1048576.0, sample.submitted(), sample.acknowledged(),
				sample.failed(), sample.tokenRequests());
		return sample;
	}

	private boolean report(Path output, Duration duration, int rate, Duration elapsed, List<Sample> samples,
			long tokenRequests, long accepted, long revocations, long outages) throws IOException {
		long submitted = this.submitted.get();
		long unaccounted = submitted - outcomes();
		boolean noLoss = unaccounted == 0 && this.failed.get() == this.deadLetters.get()
				&& this.completedTwice.get() == 0;
		int third = Math.max(1, samples.size() / 3);
		long firstThird = samples.subList(1, Math.min(samples.size(), 1 + third))
			.stream()
			.mapToLong(Sample::heapBytes)
			.max()
			.orElse(0);
		long lastThird = samples.subList(Math.max(1, samples.size() - third), samples.size())
			.stream()
			.mapToLong(Sample::heapBytes)
			.max()
			.orElse(0);
		boolean heapFlat = lastThird <= firstThird + HEAP_GROWTH_ALLOWED;
		double margin = Math.min(300, TOKEN_LIFETIME.toSeconds() / 4.0);
		long lifetimes = (long) Math.ceil(duration.toSeconds() / (TOKEN_LIFETIME.toSeconds() - margin));
		long expectedTokens = lifetimes + revocations;
		StringBuilder section = new StringBuilder();
		section.append(START_MARKER).append('\n');
		section.append("## Soak\n\n");
		section.append(String.format(Locale.ROOT,
				"Last run: %s, %s, Java %s, %d cores. Command: `%s --minutes=%s --rate=%d`.%n%n",
				Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), System.getProperty("os.name"),
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), COMMAND,
				duration.toSeconds() / 60.0, rate));
		section.append(String.format(Locale.ROOT,
				"%s of events at %d/s through the auto-configured starter, against the emulator with %d s tokens, "
						+ "3%% 503, 2%% 429 and 0.5%% dropped connections on sends, 5%% 503 on token requests, every "
						+ "token revoked every %d s (%d times) and a %d s IMS outage every %d s (%d times).%n%n",
				duration, rate, TOKEN_LIFETIME.toSeconds(), REVOKE_EVERY.toSeconds(), revocations, OUTAGE.toSeconds(),
				OUTAGE_EVERY.toSeconds(), outages));
		section.append("| check | result | target | verdict |\n|---|---|---|---|\n");
		section.append(String.format(Locale.ROOT,
				"| events | %d submitted, %d acknowledged, %d failed and dead-lettered (%d dead letters), %d refused at "
						+ "acceptance, %d unaccounted, %d completed twice | every event acknowledged or dead-lettered | %s |%n",
				submitted, this.acknowledged.get(), this.failed.get(), this.deadLetters.get(), this.refused.get(),
				unaccounted, this.completedTwice.get(), noLoss ? "met" : "**missed**"));
		section.append(String.format(Locale.ROOT,
				"| duplicates at AEP | %d messages accepted by the emulator for %d acknowledged | reported, not a target "
						+ "(a dropped connection after AEP accepted a message makes a retry a duplicate) | — |%n",
				accepted, this.acknowledged.get()));
		section.append(String.format(Locale.ROOT,
				"| heap after GC | highest %.1f MB in the first third, %.1f MB in the last third | growth ≤ %d MB | %s |%n",
				firstThird / 1048576.0, lastThird / 1048576.0, HEAP_GROWTH_ALLOWED / 1048576,
				heapFlat ? "met" : "**missed**"));
		section.append(String.format(Locale.ROOT,
				"| token requests | %d | about %d: one per %.1f s of %d s token life (refresh a quarter of the life "
						+ "ahead) plus one per revocation, and retries of failed requests | %s |%n%n",
				tokenRequests, expectedTokens, TOKEN_LIFETIME.toSeconds() - margin, TOKEN_LIFETIME.toSeconds(),
				(tokenRequests <= expectedTokens * 1.5 + outages * 4) ? "met" : "**missed**"));
		section.append("| second | heap after GC (MB) | submitted | acknowledged | failed | token requests |\n");
		section.append("|---:|---:|---:|---:|---:|---:|\n");
		for (Sample sample : samples) {
			section.append(String.format(Locale.ROOT, "| %d | %.1f | %d | %d | %d | %d |%n", sample.second(),
					sample.heapBytes() / 1048576.0, sample.submitted(), sample.acknowledged(), sample.failed(),
					sample.tokenRequests()));
		}
		section.append(String.format(Locale.ROOT, "%nThe run took %d s in all.%n", elapsed.toSeconds()));
		section.append(END_MARKER).append('\n');
		write(output, section.toString());
		System.out.println(section);
		return noLoss && heapFlat;
	}

	private static void write(Path output, String section) throws IOException {
		String existing = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
		int start = existing.indexOf(START_MARKER);
		int end = existing.indexOf(END_MARKER);
		String updated = (start >= 0 && end > start)
				? existing.substring(0, start) + section + existing.substring(end + END_MARKER.length() + 1)
				: existing + (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n") + "\n" + section;
		Files.writeString(output, updated, StandardCharsets.UTF_8);
	}

	private record Sample(long second, long heapBytes, long submitted, long acknowledged, long failed,
			long tokenRequests) {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SoakApplication {

	}

}
