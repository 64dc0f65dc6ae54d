package dev.aepstreaming.xdm;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.PayloadTooLargeException;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingValidationException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StreamingMessageWriter}.
 *
 * @author aep-streaming
 */
class StreamingMessageWriterTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String SCHEMA_ID = "https://ns.adobe.com/acme/schemas/6a1b2c3d";

	private static final String CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1";

	private static final String ORG_ID = "A1B2C3D4E5F60718@AdobeOrg";

	private final StreamingMessageWriter writer = new StreamingMessageWriter(JSON, settings("source-a"));

	@Test
	void completesAnXdmEntityIntoTheEnvelopeThatAepRequires() {
		JsonNode json = read(this.writer.write(StreamingMessage.xdm(Map.of("_id", "e-1"))));
		assertThat(json.at("/header/schemaRef/id").asString()).isEqualTo(SCHEMA_ID);
		assertThat(json.at("/header/schemaRef/contentType").asString()).isEqualTo(CONTENT_TYPE);
		assertThat(json.at("/header/imsOrgId").asString()).isEqualTo(ORG_ID);
		assertThat(json.at("/header/datasetId").asString()).isEqualTo("dataset-1");
		assertThat(json.at("/header/flowId").asString()).isEqualTo("flow-1");
		assertThat(json.at("/header/source/name").asString()).isEqualTo("source-a");
		assertThat(json.at("/body/xdmMeta/schemaRef")).isEqualTo(json.at("/header/schemaRef"));
		assertThat(json.at("/body/xdmEntity")).isEqualTo(read("{\"_id\":\"e-1\"}"));
		assertThat(json.propertyNames()).containsExactly("header", "body");
	}

	@Test
	void omitsTheSourceWhenNoSourceNameIsSet() {
		StreamingMessageWriter writer = new StreamingMessageWriter(JSON, settings(null));
		JsonNode json = read(writer.write(StreamingMessage.xdm(Map.of("_id", "e-1"))));
		assertThat(json.path("header").has("source")).isFalse();
		assertThat(json.at("/header/flowId").asString()).isEqualTo("flow-1");
	}

	@Test
	void writesAnEnvelopeAsItIs() {
		Map<String, Object> envelope = Map.of("header", Map.of("schemaRef", Map.of("id", "other-schema")), "body",
				Map.of("xdmEntity", Map.of("_id", "e-2")));
		JsonNode json = read(this.writer.write(StreamingMessage.envelope(envelope)));
		assertThat(json).isEqualTo(JSON.valueToTree(envelope));
	}

	@Test
	void writesRawJsonTextAsItIs() {
		String raw = "{\"customerId\":\"c-1\",\"amount\":12.5,\"tags\":[\"a\",\"b\"]}";
		assertThat(new String(this.writer.write(StreamingMessage.raw(raw)), StandardCharsets.UTF_8)).isEqualTo(raw);
	}

	@Test
	void refusesRawTextThatIsNotJson() {
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> this.writer.write(StreamingMessage.raw("{\"customerId\":")))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains("not valid JSON");
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getReport()).isNull();
			});
	}

	@Test
	void refusesRawTextWithMoreThanOneJsonValue() {
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> this.writer.write(StreamingMessage.raw("{\"n\":1} {\"n\":2}")))
			.withMessageContaining("not valid JSON");
	}

	@Test
	void namesEverySettingThatAnXdmEntityLacks() {
		StreamingMessageWriter writer = new StreamingMessageWriter(JSON,
				new XdmEnvelopeSettings(null, CONTENT_TYPE, ORG_ID, " ", "flow-1", null));
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> writer.write(StreamingMessage.xdm(Map.of("_id", "e-1"))))
			.withMessageContaining("aep.streaming.xdm.schema-id")
			.withMessageContaining("aep.streaming.xdm.dataset-id")
			.withMessageNotContaining("aep.streaming.flow-id")
			.withMessageNotContaining("aep.streaming.ims.org-id");
	}

	@Test
	void writesEnvelopesAndRawMessagesWithoutXdmSettings() {
		StreamingMessageWriter writer = new StreamingMessageWriter(JSON,
				new XdmEnvelopeSettings(null, CONTENT_TYPE, null, null, null, null));
		assertThat(writer.write(StreamingMessage.raw("{\"a\":1}"))).asString(StandardCharsets.UTF_8)
			.isEqualTo("{\"a\":1}");
		assertThat(writer.write(StreamingMessage.envelope(Map.of("header", Map.of())))).isNotEmpty();
	}

	@Test
	void acceptsAMessageOfExactlyTheLimit() {
		String raw = rawOfSize(StreamingMessageWriter.MAX_REQUEST_BYTES);
		assertThat(this.writer.write(StreamingMessage.raw(raw))).hasSize(1_000_000);
	}

	@Test
	void refusesAMessageOverTheLimitWithItsSizeAndTheLimit() {
		String raw = rawOfSize(StreamingMessageWriter.MAX_REQUEST_BYTES + 1);
		assertThatExceptionOfType(PayloadTooLargeException.class)
			.isThrownBy(() -> this.writer.write(StreamingMessage.raw(raw)))
			.satisfies((ex) -> {
				assertThat(ex.getSize()).isEqualTo(1_000_001);
				assertThat(ex.getLimit()).isEqualTo(1_000_000);
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getMessage()).contains("1000001").contains("1000000");
			});
	}

	@Test
	void writesABatchBodyWithTheMessagesInOrder() {
		byte[] body = this.writer.writeBatch(List.of(StreamingMessage.raw("{\"n\":1}"),
				StreamingMessage.xdm(Map.of("_id", "e-2")), StreamingMessage.raw("{\"n\":3}")));
		JsonNode json = read(body);
		assertThat(json.path("messages")).hasSize(3);
		assertThat(json.at("/messages/0/n").asInt()).isEqualTo(1);
		assertThat(json.at("/messages/1/body/xdmEntity/_id").asString()).isEqualTo("e-2");
		assertThat(json.at("/messages/2/n").asInt()).isEqualTo(3);
		assertThat(body).hasSize(StreamingMessageWriter.batchSize(List.of("{\"n\":1}".getBytes(),
				this.writer.toJson(StreamingMessage.xdm(Map.of("_id", "e-2"))), "{\"n\":3}".getBytes())));
	}

	@Test
	void refusesABatchOverTheLimitAlthoughEachMessageIsWithinIt() {
		String half = rawOfSize(600_000);
		assertThatExceptionOfType(PayloadTooLargeException.class)
			.isThrownBy(() -> this.writer.writeBatch(List.of(StreamingMessage.raw(half), StreamingMessage.raw(half))))
			.satisfies((ex) -> {
				assertThat(ex.getSize()).isEqualTo("{\"messages\":[".length() + 600_000 + 1 + 600_000 + "]}".length());
				assertThat(ex.getLimit()).isEqualTo(1_000_000);
				assertThat(ex.getMessage()).contains("2 messages");
			});
	}

	@Test
	void refusesAnEntityThatCannotBeWrittenAsJson() {
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> this.writer.write(StreamingMessage.xdm(new FailingEntity())))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains(FailingEntity.class.getName());
				assertThat(ex.getStatusCode()).isZero();
			});
	}

	@Test
	void toStringOfAMessageShowsItsKindAndTypeButNotItsPayload() {
		StreamingMessage message = StreamingMessage.raw("{\"password\":\"hunter2\"}").withSyncValidation(true);
		assertThat(message.toString()).contains("RAW").contains("java.lang.String").doesNotContain("hunter2");
	}

	private static String rawOfSize(int size) {
		return "{\"a\":\"" + "x".repeat(size - 8) + "\"}";
	}

	private static JsonNode read(byte[] json) {
		return JSON.readTree(json);
	}

	private static JsonNode read(String json) {
		return JSON.readTree(json);
	}

	private static XdmEnvelopeSettings settings(String sourceName) {
		return new XdmEnvelopeSettings(SCHEMA_ID, CONTENT_TYPE, ORG_ID, "dataset-1", "flow-1", sourceName);
	}

	static class FailingEntity {

		public String getId() {
			throw new IllegalStateException("not loaded");
		}

	}

}
