package dev.aepstreaming.sample;

import dev.aepstreaming.emulator.AepEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the sample runs against the embedded emulator with no configuration of its
 * own, and reports its outcome in its exit code and summary line.
 *
 * @author aep-streaming
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

	@Test
	void defaultRunAgainstTheEmbeddedEmulatorAcknowledgesEveryEvent(CapturedOutput output) {
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--sample.event-count=300")) {
			AepEmulator emulator = context.getBean(AepEmulator.class);
			assertThat(emulator.recorder().acceptedMessageCount()).isEqualTo(300);
			assertThat(emulator.recorder().issuedTokenCount()).isEqualTo(1);
			assertThat(SpringApplication.exit(context)).isZero();
		}
		assertThat(output).contains("Summary: events=300 sent=300 failed=0 token-requests=1")
			.doesNotContain("emulator-client-secret");
	}

	@Test
	void pacedRunKeepsToTheRate(CapturedOutput output) {
		long start = System.nanoTime();
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--sample.event-count=50", "--sample.rate=100", "--sample.concurrency=4")) {
			assertThat(SpringApplication.exit(context)).isZero();
		}
		assertThat((System.nanoTime() - start) / 1_000_000).as("50 events at 100 per second take half a second")
			.isGreaterThanOrEqualTo(450);
		assertThat(output).contains("Summary: events=50 sent=50 failed=0");
	}

	@Test
	void runWithFailuresExitsNonZero(CapturedOutput output) {
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--sample.event-count=20", "--aep.streaming.xdm.dataset-id=")) {
			assertThat(SpringApplication.exit(context)).isEqualTo(1);
		}
		assertThat(output).contains("Summary: events=20 sent=0 failed=20").contains("aep.streaming.xdm.dataset-id");
	}

}
