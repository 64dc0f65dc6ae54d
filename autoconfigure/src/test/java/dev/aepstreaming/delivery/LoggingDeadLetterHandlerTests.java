package dev.aepstreaming.delivery;

import java.util.Map;

import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoggingDeadLetterHandler}.
 *
 * @author aep-streaming
 */
@ExtendWith(OutputCaptureExtension.class)
class LoggingDeadLetterHandlerTests {

	private static final String PAYLOAD_MARKER = "jane.doe@example.com";

	@Test
	void deadLetterIsLoggedAtWarnWithTheEventIdAndTheReasonButNotThePayload(CapturedOutput output) {
		LoggingDeadLetterHandler handler = new LoggingDeadLetterHandler();
		handler.handle(letter("evt-42"));
		assertThat(output).contains("WARN")
			.contains("evt-42")
			.contains("conn-1")
			.contains("AEP refused the message as invalid (400)")
			.doesNotContain(PAYLOAD_MARKER);
		assertThat(handler.getCount()).isOne();
	}

	@Test
	void everyDeadLetterIsCounted() {
		LoggingDeadLetterHandler handler = new LoggingDeadLetterHandler();
		handler.handle(letter("evt-1"));
		handler.handle(letter("evt-2"));
		assertThat(handler.getCount()).isEqualTo(2);
	}

	private static DeadLetter letter(String id) {
		StreamingMessage message = StreamingMessage.xdm(Map.of("_id", id, "personalEmail", PAYLOAD_MARKER));
		return new DeadLetter(message, id, "conn-1",
				new StreamingValidationException("AEP refused the message as invalid (400)", 400, "{}", null));
	}

}
