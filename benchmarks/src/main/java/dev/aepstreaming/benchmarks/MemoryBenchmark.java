package dev.aepstreaming.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.aepstreaming.ReactiveStreamingTemplate;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.emulator.AepEmulator;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 6: heap retained by buffered events, bytes allocated per send and the peak
 * resident set of the sample application.
 *
 * @author aep-streaming
 */
final class MemoryBenchmark {

	private static final int BUFFERED_EVENTS = 10_000;

	private static final int ALLOCATION_CONCURRENCY = 16;

	private static final Duration SAMPLE_APP_TIMEOUT = Duration.ofMinutes(2);

	private static final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private MemoryBenchmark() {
	}

	static void run(BenchmarkSettings settings, Report report) throws Exception {
		report.heading("6. Memory");
		runGuarded("6a. Heap retained by buffered events", report, () -> bufferedHeap(report));
		runGuarded("6b. Bytes allocated per send", report, () -> allocation(settings, report));
		runGuarded("6c. Peak RSS of the sample application", report, () -> sampleAppRss(settings, report));
	}

	private static void runGuarded(String section, Report report, Step step) {
		long start = System.nanoTime();
		try {
			step.run();
		}
		catch (Exception ex) {
			report.failure(section, ex);
		}
		System.out.printf(Locale.ROOT, "  %s: %.1f s%n", section, (System.nanoTime() - start) / 1e9);
	}

	private static void bufferedHeap(Report report) throws Exception {
		try (LoopbackAep aep = new LoopbackAep();
				AepEmulator emulator = Endpoints.tokenEndpoint(Duration.ofDays(1));
				StarterApplication starter = StarterApplication.start(bufferProperties(aep, emulator))) {
			ReactiveStreamingTemplate template = starter.template();
			DeliveryEngine engine = starter.deliveryEngine();
			LoadHarness.runFor(() -> template.send(ExperienceEvents.entity()), 16, Duration.ofSeconds(1), null);
			List<Map<String, Object>> entities = new ArrayList<>(BUFFERED_EVENTS);
			for (int i = 0; i < BUFFERED_EVENTS; i++) {
				entities.add(ExperienceEvents.entity());
			}
			long requestsBefore = aep.requestCount();
			long before = usedHeapAfterGc();
			aep.hold();
			AtomicInteger ended = new AtomicInteger();
			AtomicInteger failed = new AtomicInteger();
			entities.forEach((entity) -> template.send(entity).subscribe((result) -> ended.incrementAndGet(), (ex) -> {
				failed.incrementAndGet();
				ended.incrementAndGet();
			}));
			await(() -> engine.getPendingCount() >= BUFFERED_EVENTS, Duration.ofSeconds(20));
			long after = usedHeapAfterGc();
			int pending = engine.getPendingCount();
			long inFlight = aep.requestCount() - requestsBefore;
			aep.release();
			await(() -> ended.get() >= BUFFERED_EVENTS, Duration.ofSeconds(60));
			double perEvent = (after - before) / (double) BUFFERED_EVENTS;
			report.heading("6a. Heap retained per 10,000 buffered events");
			report.paragraph("The starter at its defaults (`max-in-flight=128`) with `aep.streaming.buffer.capacity="
					+ "20000`, against a streaming endpoint that holds its answers: " + BUFFERED_EVENTS
					+ " sends are subscribed at once, so " + inFlight + " requests are in flight and the rest wait "
					+ "in the buffer. Used heap is read after `System.gc()` before the sends and once all are "
					+ "pending; the caller's own " + BUFFERED_EVENTS + " event objects exist in both readings, so "
					+ "the difference is what the starter (and the caller's subscriptions) retain, plus the held "
					+ "requests on the loopback server in the same JVM.");
			report.table("pending events", "requests in flight", "heap used before", "heap used with events pending",
					"retained per 10,000 events", "per event", "failed sends");
			report.row(pending, inFlight, megabytes(before), megabytes(after),
					megabytes((after - before) * 10_000L / BUFFERED_EVENTS), Report.number(perEvent) + " B",
					failed.get());
			report.endTable();
		}
	}

	private static Map<String, Object> bufferProperties(LoopbackAep aep, AepEmulator emulator) {
		Map<String, Object> properties = StarterApplication.properties(aep.baseUrl(), emulator, 128);
		properties.put("aep.streaming.buffer.capacity", 2 * BUFFERED_EVENTS);
		return properties;
	}

	private static void allocation(BenchmarkSettings settings, Report report) {
		try (LoopbackAep aep = new LoopbackAep();
				AepEmulator emulator = Endpoints.tokenEndpoint(Duration.ofDays(1));
				StarterApplication starter = StarterApplication
					.start(StarterApplication.properties(aep.baseUrl(), emulator, 256))) {
			WebClient tokenClient = WebClient.builder()
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create()))
				.build();
			String token = Clients.fetchToken(tokenClient, emulator).block();
			ReactiveStreamingTemplate template = starter.template();
			Supplier<Mono<?>> limit = Clients.staticBearer(aep.baseUrl(), token, emulator.clientId());
			Supplier<Mono<?>> ours = () -> template.send(ExperienceEvents.entity());
			LoadHarness.runFor(limit, ALLOCATION_CONCURRENCY, settings.warmup(), null);
			LoadHarness.runFor(ours, ALLOCATION_CONCURRENCY, settings.warmup(), null);
			long[] limitBytes = new long[3];
			long[] ourBytes = new long[3];
			for (int i = 0; i < settings.rounds(); i++) {
				add(limitBytes, allocatedBy(limit, settings.round()));
				add(ourBytes, allocatedBy(ours, settings.round()));
			}
			report.heading("6b. Bytes allocated per send");
			report.paragraph("Allocation summed over all threads of the JVM "
					+ "(`com.sun.management.ThreadMXBean#getThreadAllocatedBytes`) during " + settings.rounds()
					+ " rounds of " + settings.round().toMillis() + " ms per client at concurrency "
					+ ALLOCATION_CONCURRENCY + ", the clients alternating (" + limitBytes[2] + " sends of the limit, "
					+ ourBytes[2] + " of the starter). "
					+ "The client side excludes the loopback server's own event-loop threads; it includes the "
					+ "harness (making the ~600-byte event map, timing), which is the same for both, so the "
					+ "difference is the starter's own cost. The JMH benchmark below isolates the bearer filter.");
			report.table("client", "client threads, B/send", "including the loopback server, B/send");
			double limitClient = limitBytes[0] / (double) limitBytes[2];
			double limitAll = limitBytes[1] / (double) limitBytes[2];
			double ourClient = ourBytes[0] / (double) ourBytes[2];
			double ourAll = ourBytes[1] / (double) ourBytes[2];
			report.row("limit (static bearer)", Report.number(limitClient), Report.number(limitAll));
			report.row("**starter**", Report.number(ourClient), Report.number(ourAll));
			report.row("starter − limit", Report.number(ourClient - limitClient), Report.number(ourAll - limitAll));
			report.endTable();
		}
	}

	private static void add(long[] sum, long[] value) {
		for (int i = 0; i < sum.length; i++) {
			sum[i] += value[i];
		}
	}

	private static long[] allocatedBy(Supplier<Mono<?>> sender, Duration duration) {
		long[] before = allocatedBytes();
		LoadResult result = LoadHarness.runFor(sender, ALLOCATION_CONCURRENCY, duration, null);
		long[] after = allocatedBytes();
		if (result.failures() > 0) {
			throw new IllegalStateException(result.failures() + " sends failed", result.firstFailure());
		}
		return new long[] { after[0] - before[0], after[1] - before[1], result.successes() };
	}

	/**
	 * Return the bytes allocated so far by the threads other than the loopback server's,
	 * and by all threads.
	 */
	static long[] allocatedBytes() {
		long[] ids = threads.getAllThreadIds();
		ThreadInfo[] infos = threads.getThreadInfo(ids);
		long[] bytes = threads.getThreadAllocatedBytes(ids);
		long client = 0;
		long all = 0;
		for (int i = 0; i < ids.length; i++) {
			if (infos[i] == null || bytes[i] < 0) {
				continue;
			}
			all += bytes[i];
			if (!infos[i].getThreadName().startsWith(LoopbackAep.THREAD_PREFIX)) {
				client += bytes[i];
			}
		}
		return new long[] { client, all };
	}

	private static void sampleAppRss(BenchmarkSettings settings, Report report) throws Exception {
		report.heading("6c. Peak RSS of the sample application");
		Path jar = settings.sampleAppJar();
		if (!Files.isRegularFile(jar)) {
			report.paragraph("Not measured: `" + jar + "` does not exist; build it with "
					+ "`./mvnw -B -q -DskipTests -pl sample-app -am package` (the documented command does).");
			return;
		}
		String java = ProcessHandle.current().info().command().orElse("java");
		Path log = Files.createTempFile("aep-streaming-sample-app", ".log");
		int events = settings.quick() ? 200 : 1_000;
		Process process = new ProcessBuilder(java, "-jar", jar.toString(), "--sample.event-count=" + events)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		long start = System.nanoTime();
		long peakKb = 0;
		Path status = Path.of("/proc/" + process.pid() + "/status");
		while (process.isAlive() && System.nanoTime() - start < SAMPLE_APP_TIMEOUT.toNanos()) {
			peakKb = Math.max(peakKb, vmHwmKb(status));
			Thread.sleep(20);
		}
		boolean timedOut = process.isAlive();
		if (timedOut) {
			process.destroyForcibly();
		}
		process.waitFor(10, TimeUnit.SECONDS);
		double elapsed = (System.nanoTime() - start) / 1e9;
		String summary = Files.readAllLines(log, StandardCharsets.UTF_8)
			.stream()
			.filter((line) -> line.startsWith("Summary:"))
			.findFirst()
			.orElse("(no summary line)");
		Files.deleteIfExists(log);
		report.paragraph("`" + java + " -jar " + jar + " --sample.event-count=" + events + "`, otherwise at its "
				+ "defaults (embedded emulator, 16 in flight) and the JVM's default heap sizing, run as a child process; `VmHWM` read from `/proc/"
				+ "<pid>/status` every 20 ms until it exits.");
		report.table("peak RSS (VmHWM)", "wall time", "exit code", "sample app's summary");
		report.row(Report.number(peakKb / 1024.0) + " MiB", Report.number(elapsed) + " s",
				timedOut ? "killed after " + SAMPLE_APP_TIMEOUT.toSeconds() + " s" : process.exitValue(),
				"`" + summary + "`");
		report.endTable();
	}

	private static long vmHwmKb(Path status) {
		try {
			for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// The process ended between two reads.
		}
		return 0;
	}

	static long usedHeapAfterGc() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Condition not met within " + timeout);
			}
			Thread.sleep(10);
		}
	}

	private static String megabytes(long bytes) {
		return Report.number(bytes / (1024.0 * 1024.0)) + " MiB";
	}

	@FunctionalInterface
	private interface Step {

		void run() throws Exception;

	}

}
