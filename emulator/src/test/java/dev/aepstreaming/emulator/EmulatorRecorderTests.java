package dev.aepstreaming.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of the bounded recorder.
 */
class EmulatorRecorderTests {

	@Test
	void keepsTheMostRecentEntriesWhileCountingAll() {
		EmulatorRecorder recorder = new EmulatorRecorder(3);
		for (int i = 0; i < 10; i++) {
			String id = "tx-" + i;
			recorder.recordMessage(() -> message(id));
		}
		assertThat(recorder.messages()).extracting(RecordedMessage::xactionId).containsExactly("tx-7", "tx-8", "tx-9");
		assertThat(recorder.acceptedMessageCount()).isEqualTo(10);
	}

	@Test
	void zeroCapacityOnlyCountsAndNeverCreatesEntries() {
		EmulatorRecorder recorder = new EmulatorRecorder(0);
		for (int i = 0; i < 5; i++) {
			recorder.recordMessage(() -> {
				throw new AssertionError("No entry should be created");
			});
		}
		assertThat(recorder.messages()).isEmpty();
		assertThat(recorder.acceptedMessageCount()).isEqualTo(5);
	}

	@Test
	void countsTokenRequestsIssuedTokensAndRejectionsSeparately() {
		EmulatorRecorder recorder = new EmulatorRecorder(10);
		Instant now = Instant.parse("2025-06-01T10:00:00Z");
		recorder.recordTokenRequest(new RecordedTokenRequest("client", List.of("openid"), "issued", 200, now));
		recorder.recordTokenRequest(new RecordedTokenRequest("client", List.of("openid"), "invalid_client", 400, now));
		recorder.recordRejection(new RecordedRejection(EmulatorEndpoint.TOKEN, "/ims/token/v3", 400, "x", now));
		assertThat(recorder.tokenRequestCount()).isEqualTo(2);
		assertThat(recorder.issuedTokenCount()).isEqualTo(1);
		assertThat(recorder.rejectionCount()).isEqualTo(1);
	}

	@Test
	void resetForgetsEntriesAndCounts() {
		EmulatorRecorder recorder = new EmulatorRecorder(10);
		recorder.recordMessage(() -> message("tx"));
		recorder.reset();
		assertThat(recorder.messages()).isEmpty();
		assertThat(recorder.acceptedMessageCount()).isZero();
	}

	@Test
	void boundedOverHttpWithExactTotals() {
		try (AepEmulator emulator = AepEmulator.builder().recorderCapacity(2).build().start()) {
			EmulatorClient client = new EmulatorClient(emulator);
			String token = client.fetchToken();
			for (int i = 0; i < 5; i++) {
				client.postSingle("c", XdmMessages.json(XdmMessages.valid("e" + i)), client.streamingHeaders(token));
			}
			assertThat(emulator.recorder().messages())
				.extracting((message) -> message.body().at("/body/xdmEntity/_id").asString())
				.containsExactly("e3", "e4");
			assertThat(emulator.recorder().messages("c")).hasSize(2);
			assertThat(emulator.recorder().messages("other")).isEmpty();
			assertThat(emulator.recorder().acceptedMessageCount()).isEqualTo(5);
		}
	}

	@Test
	void negativeCapacityIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> AepEmulator.builder().recorderCapacity(-1));
	}

	private static RecordedMessage message(String xactionId) {
		return new RecordedMessage("c", false, Map.of(), XdmMessages.valid(), xactionId,
				Instant.parse("2025-06-01T10:00:00Z"));
	}

}
