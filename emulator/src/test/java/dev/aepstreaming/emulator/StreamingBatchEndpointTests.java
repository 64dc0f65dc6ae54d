package dev.aepstreaming.emulator;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract tests of the emulated batch streaming endpoint.
 */
class StreamingBatchEndpointTests {

	private static final String CONNECTION = "batch-connection";

	private AepEmulator emulator;

	private EmulatorClient client;

	private String token;

	@BeforeEach
	void startEmulator() {
		this.emulator = AepEmulator.builder().clock(MutableClock.startingAt("2025-06-01T10:00:00Z")).build().start();
		this.client = new EmulatorClient(this.emulator);
		this.token = this.client.fetchToken();
	}

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	@Test
	void validBatchIsA207WithOneTransactionPerMessageInOrder() {
		HttpResponse<String> response = send(batch(XdmMessages.valid("a"), XdmMessages.valid("b")));
		assertThat(response.statusCode()).isEqualTo(207);
		JsonNode body = EmulatorClient.json(response);
		assertThat(body.get("inletId").asString()).isEqualTo(CONNECTION);
		assertThat(body.get("batchId").asString()).isNotBlank();
		assertThat(body.get("receivedTimeMs").asLong()).isEqualTo(this.emulator.clock().millis());
		assertThat(body.get("responses")).hasSize(2);
		String first = body.at("/responses/0/xactionId").asString();
		String second = body.at("/responses/1/xactionId").asString();
		assertThat(first).isNotBlank().isNotEqualTo(second);
		assertThat(this.emulator.recorder().messages()).extracting(RecordedMessage::xactionId)
			.containsExactly(first, second);
		assertThat(this.emulator.recorder().messages()).allSatisfy((message) -> assertThat(message.batch()).isTrue());
	}

	@Test
	void mixedBatchIsA207WithAFailedEntryWhereTheMessageIsInvalid() {
		ObjectNode invalid = XdmMessages.valid("bad");
		((ObjectNode) invalid.get("header")).remove("datasetId");
		HttpResponse<String> response = send(batch(XdmMessages.valid("a"), invalid, XdmMessages.valid("c")));
		assertThat(response.statusCode()).isEqualTo(207);
		JsonNode responses = EmulatorClient.json(response).get("responses");
		assertThat(responses).hasSize(3);
		assertThat(responses.get(0).has("xactionId")).isTrue();
		assertThat(responses.get(1).propertyNames()).containsExactlyInAnyOrder("statusCode", "message");
		assertThat(responses.get(1).get("statusCode").asInt()).isEqualTo(400);
		assertThat(responses.get(1).get("message").asString()).contains("header.datasetId");
		assertThat(responses.get(2).has("xactionId")).isTrue();
		assertThat(this.emulator.recorder().acceptedMessageCount()).isEqualTo(2);
		assertThat(this.emulator.recorder().rejectionCount()).isEqualTo(1);
	}

	@Test
	void failedEntryCanUseStatusInsteadOfStatusCode() {
		this.emulator.variants().batchStatusField(EmulatorVariants.BatchStatusField.STATUS);
		HttpResponse<String> response = send("{\"messages\":[{\"raw\":true}]}");
		JsonNode entry = EmulatorClient.json(response).at("/responses/0");
		assertThat(entry.get("status").asInt()).isEqualTo(400);
		assertThat(entry.has("statusCode")).isFalse();
		assertThat(entry.get("message").asString()).contains("Message has unknown xdm format");
	}

	@Test
	void rawMessagesAreAcceptedWithAFlowId() {
		HttpResponse<String> response = this.client.postJson(this.emulator.batchUri(CONNECTION) + "?flowId=raw-flow",
				"{\"messages\":[{\"raw\":1},{\"raw\":2}]}", this.client.streamingHeaders(this.token));
		assertThat(response.statusCode()).isEqualTo(207);
		assertThat(EmulatorClient.json(response).get("responses"))
			.allSatisfy((entry) -> assertThat(entry.has("xactionId")).isTrue());
	}

	@Test
	void bodyWithoutMessagesIsABadRequest() {
		assertThat(send("{\"events\":[]}").statusCode()).isEqualTo(400);
		assertThat(send("{\"messages\":[]}").statusCode()).isEqualTo(400);
	}

	@Test
	void batchNeedsAValidTokenToo() {
		HttpResponse<String> response = this.client.postBatch(CONNECTION, batch(XdmMessages.valid()),
				this.client.streamingHeaders("invalid"));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(EmulatorClient.json(response).get("status").asString()).isEqualTo("401");
	}

	@Test
	void batchAboveOneMillionBytesIsTooLarge() {
		String padding = "x".repeat(1_000_000);
		HttpResponse<String> response = send("{\"messages\":[{\"pad\":\"" + padding + "\"}]}");
		assertThat(response.statusCode()).isEqualTo(413);
	}

	private HttpResponse<String> send(String body) {
		return this.client.postBatch(CONNECTION, body, this.client.streamingHeaders(this.token));
	}

	private static String batch(ObjectNode... messages) {
		StringBuilder json = new StringBuilder("{\"messages\":[");
		for (int i = 0; i < messages.length; i++) {
			json.append((i > 0) ? "," : "").append(XdmMessages.json(messages[i]));
		}
		return json.append("]}").toString();
	}

}
