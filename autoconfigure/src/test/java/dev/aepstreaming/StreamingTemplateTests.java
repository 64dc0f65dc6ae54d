package dev.aepstreaming;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.aepstreaming.xdm.XdmEnvelopeSettings;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static dev.aepstreaming.AepTestServers.CONNECTION_ID;
import static dev.aepstreaming.AepTestServers.DATASET_ID;
import static dev.aepstreaming.AepTestServers.FLOW_ID;
import static dev.aepstreaming.AepTestServers.ORG_ID;
import static dev.aepstreaming.AepTestServers.SCHEMA_CONTENT_TYPE;
import static dev.aepstreaming.AepTestServers.SCHEMA_ID;
import static dev.aepstreaming.AepTestServers.SOURCE_NAME;
import static dev.aepstreaming.AepTestServers.assertRevealsNoSecret;
import static dev.aepstreaming.AepTestServers.bodyJson;
import static dev.aepstreaming.AepTestServers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StreamingTemplate}, asserting on what the streaming server received.
 *
 * @author aep-streaming
 */
class StreamingTemplateTests {

	private AepTestServers servers;

	private StreamingTemplate template;

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
		this.template = this.servers.template();
	}

	@AfterEach
	void stopServers() {
		this.servers.close();
	}

	@Test
	void sendCompletesAMapIntoTheWholeXdmEnvelope() {
		Map<String, Object> entity = pageView("e-1");
		StreamingResult result = this.template.send(entity);
		assertThat(result.xactionId()).isEqualTo("1584479347507:2153:240");
		JsonNode json = bodyJson(this.servers.streaming().onlyRequest());
		assertThat(json.at("/header/schemaRef/id").asString()).isEqualTo(SCHEMA_ID);
		assertThat(json.at("/header/schemaRef/contentType").asString()).isEqualTo(SCHEMA_CONTENT_TYPE);
		assertThat(json.at("/header/imsOrgId").asString()).isEqualTo(ORG_ID);
		assertThat(json.at("/header/datasetId").asString()).isEqualTo(DATASET_ID);
		assertThat(json.at("/header/flowId").asString()).isEqualTo(FLOW_ID);
		assertThat(json.at("/header/source/name").asString()).isEqualTo(SOURCE_NAME);
		assertThat(json.at("/body/xdmMeta/schemaRef")).isEqualTo(json.at("/header/schemaRef"));
		assertThat(json.at("/body/xdmEntity")).isEqualTo(AepTestServers.jsonMapper().valueToTree(entity));
	}

	@Test
	void sendWritesAPojoEntityWithJackson() {
		this.template.send(new PageView("e-2", "2025-01-01T00:00:00Z", "web.webpagedetails.pageViews"));
		JsonNode entity = bodyJson(this.servers.streaming().onlyRequest()).at("/body/xdmEntity");
		assertThat(entity.path("_id").asString()).isEqualTo("e-2");
		assertThat(entity.path("timestamp").asString()).isEqualTo("2025-01-01T00:00:00Z");
		assertThat(entity.path("eventType").asString()).isEqualTo("web.webpagedetails.pageViews");
	}

	@Test
	void sendWritesAJacksonTreeEntityAsItIs() {
		ObjectNode entity = AepTestServers.jsonMapper().createObjectNode();
		entity.put("_id", "e-3");
		entity.putObject("web").putObject("webPageDetails").put("name", "home");
		this.template.send(entity);
		JsonNode json = bodyJson(this.servers.streaming().onlyRequest());
		assertThat(json.at("/body/xdmEntity")).isEqualTo(entity);
		assertThat(json.at("/header/datasetId").asString()).isEqualTo(DATASET_ID);
	}

	@Test
	void sendsAnEnvelopeUnchanged() {
		Map<String, Object> schemaRef = Map.of("id", "https://ns.adobe.com/acme/schemas/other", "contentType",
				SCHEMA_CONTENT_TYPE);
		Map<String, Object> envelope = Map.of("header",
				Map.of("schemaRef", schemaRef, "imsOrgId", ORG_ID, "datasetId", "other-dataset", "flowId",
						"other-flow"),
				"body", Map.of("xdmMeta", Map.of("schemaRef", schemaRef), "xdmEntity", pageView("e-4")));
		this.template.send(StreamingMessage.envelope(envelope));
		assertThat(bodyJson(this.servers.streaming().onlyRequest()))
			.isEqualTo(AepTestServers.jsonMapper().valueToTree(envelope));
	}

	@Test
	void sendsRawJsonTextAsItIs() {
		String raw = "{\"customerId\":\"c-1\",\"amount\":12.5,\"items\":[{\"sku\":\"a\"}]}";
		this.template.send(StreamingMessage.raw(raw));
		RecordedRequest request = this.servers.streaming().onlyRequest();
		assertThat(AepTestServers.body(request)).isEqualTo(raw);
		assertThat(request.getHeader("x-adobe-flow-id")).isEqualTo(FLOW_ID);
	}

	@Test
	void refusesInvalidRawJsonWithoutSendingIt() {
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> this.template.send(StreamingMessage.raw("{\"customerId\":\"c-1\"")))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertRevealsNoSecret(ex);
			});
		assertNothingSent();
	}

	@Test
	void refusesAnXdmEntityWithoutSchemaAndDatasetSettingsWithoutSendingIt() {
		StreamingTemplate template = templateWith(
				new XdmEnvelopeSettings("", SCHEMA_CONTENT_TYPE, ORG_ID, null, FLOW_ID, null));
		assertThatExceptionOfType(StreamingValidationException.class).isThrownBy(() -> template.send(pageView("e-5")))
			.withMessageContaining("aep.streaming.xdm.schema-id")
			.withMessageContaining("aep.streaming.xdm.dataset-id");
		assertNothingSent();
	}

	@Test
	void refusesAMessageOverTheLimitWithoutSendingIt() {
		Map<String, Object> entity = Map.of("_id", "e-6", "blob", "x".repeat(1_000_000));
		assertThatExceptionOfType(PayloadTooLargeException.class).isThrownBy(() -> this.template.send(entity))
			.satisfies((ex) -> {
				assertThat(ex.getSize()).isGreaterThan(1_000_000);
				assertThat(ex.getLimit()).isEqualTo(1_000_000);
				assertThat(ex.getMessage()).contains(String.valueOf(ex.getSize())).contains("1000000");
			});
		assertNothingSent();
	}

	@Test
	void refusesABatchOverTheLimitWithoutSendingIt() {
		List<Object> batch = List.of(Map.of("blob", "x".repeat(400_000)), Map.of("blob", "y".repeat(400_000)),
				Map.of("blob", "z".repeat(400_000)));
		assertThatExceptionOfType(PayloadTooLargeException.class).isThrownBy(() -> this.template.sendBatch(batch))
			.satisfies((ex) -> {
				assertThat(ex.getSize()).isGreaterThan(1_200_000);
				assertThat(ex.getLimit()).isEqualTo(1_000_000);
				assertThat(ex.getMessage()).contains("3 messages");
			});
		assertNothingSent();
	}

	@Test
	void refusesAnEntityThatJacksonCannotWriteWithoutSendingIt() {
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> this.template.send(new UnwritableEntity()))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains(UnwritableEntity.class.getName()));
		assertNothingSent();
	}

	@Test
	void sendBatchSendsTheMessagesInTheCallersOrderAndMapsTheResultsBack() {
		this.servers.streaming()
			.respond((request) -> json(207, "{\"responses\":[{\"xactionId\":\"x-0\"},"
					+ "{\"statusCode\":400,\"message\":\"Message has unknown xdm format\"},{\"xactionId\":\"x-2\"}]}"));
		BatchResult result = this.template.sendBatch(
				List.of(pageView("e-0"), StreamingMessage.raw("{\"n\":1}"), StreamingMessage.xdm(pageView("e-2"))));
		JsonNode messages = bodyJson(this.servers.streaming().onlyRequest()).path("messages");
		assertThat(messages).hasSize(3);
		assertThat(messages.get(0).at("/body/xdmEntity/_id").asString()).isEqualTo("e-0");
		assertThat(messages.get(1).path("n").asInt()).isEqualTo(1);
		assertThat(messages.get(2).at("/body/xdmEntity/_id").asString()).isEqualTo("e-2");
		assertThat(result.results()).extracting(BatchMessageResult::xactionId).containsExactly("x-0", null, "x-2");
		assertThat(result.failures()).singleElement().satisfies((failure) -> {
			assertThat(failure.index()).isEqualTo(1);
			assertThat(failure.statusCode()).isEqualTo(400);
		});
	}

	@Test
	void asksForSynchronousValidationOnEverySingleSendWhenConfigured() {
		StreamingTemplate template = new StreamingTemplate(this.servers.reactiveTemplate(true));
		template.send(pageView("e-7"));
		assertThat(this.servers.streaming().onlyRequest().getRequestUrl().queryParameter("syncValidation"))
			.isEqualTo("true");
	}

	@Test
	void doesNotAskForSynchronousValidationWhenAMessageOptsOut() {
		StreamingTemplate template = new StreamingTemplate(this.servers.reactiveTemplate(true));
		template.send(StreamingMessage.xdm(pageView("e-8")).withSyncValidation(false));
		assertThat(this.servers.streaming().onlyRequest().getRequestUrl().query()).isNull();
	}

	@Test
	void asksForSynchronousValidationWhenAMessageOptsIn() {
		this.template.send(StreamingMessage.xdm(pageView("e-9")).withSyncValidation(true));
		assertThat(this.servers.streaming().onlyRequest().getPath())
			.isEqualTo("/collection/" + CONNECTION_ID + "?syncValidation=true");
	}

	@Test
	void doesNotAskForSynchronousValidationByDefault() {
		this.template.send(pageView("e-10"));
		assertThat(this.servers.streaming().onlyRequest().getPath()).isEqualTo("/collection/" + CONNECTION_ID);
	}

	@Test
	void neverAsksForSynchronousValidationOfABatch() {
		this.servers.streaming().respond((request) -> json(207, "{\"responses\":[{}]}"));
		StreamingTemplate template = new StreamingTemplate(this.servers.reactiveTemplate(true));
		template.sendBatch(List.of(StreamingMessage.xdm(pageView("e-11")).withSyncValidation(true)));
		assertThat(this.servers.streaming().onlyRequest().getPath()).isEqualTo("/collection/batch/" + CONNECTION_ID);
	}

	@Test
	void sendAsyncCompletesTheFutureWithAepsAnswer() throws Exception {
		CompletableFuture<StreamingResult> future = this.template.sendAsync(pageView("e-12"));
		StreamingResult result = future.get(20, TimeUnit.SECONDS);
		assertThat(result.statusCode()).isEqualTo(200);
		assertThat(this.servers.streaming().requestCount()).isOne();
	}

	@Test
	void sendAsyncCompletesTheFutureExceptionallyWithTheTypedException() {
		this.servers.streaming().respond((request) -> json(400, "{\"report\":{\"message\":\"bad event\"}}"));
		CompletableFuture<StreamingResult> future = this.template.sendAsync(StreamingMessage.xdm(pageView("e-13")));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(20, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(StreamingValidationException.class)
			.withMessageContaining("bad event");
	}

	@Test
	void sendAsyncOfAMessageOverTheLimitCompletesExceptionallyWithoutSendingIt() {
		CompletableFuture<StreamingResult> future = this.template
			.sendAsync(StreamingMessage.raw(Map.of("blob", "x".repeat(1_000_001))));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(20, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(PayloadTooLargeException.class);
		assertNothingSent();
	}

	@Test
	void sendBatchAsyncCompletesTheFutureWithTheResults() throws Exception {
		this.servers.streaming().respond((request) -> json(207, "{\"responses\":[{\"xactionId\":\"x-0\"},{}]}"));
		BatchResult result = this.template.sendBatchAsync(List.of(pageView("e-14"), pageView("e-15")))
			.get(20, TimeUnit.SECONDS);
		assertThat(result.isAllSuccessful()).isTrue();
		assertThat(result.results()).hasSize(2);
	}

	@Test
	void sendBatchAsyncCompletesTheFutureExceptionallyWithTheTypedException() {
		this.servers.streaming().respond((request) -> json(503, "").setHeader("Retry-After", "4"));
		CompletableFuture<BatchResult> future = this.template.sendBatchAsync(List.of(pageView("e-16")));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> future.get(20, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(StreamingServerException.class, (ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(503);
				assertThat(ex.isRetryable()).isTrue();
			});
	}

	@Test
	void toStringOfTheTemplatesShowsNoSecret() {
		this.template.send(pageView("e-17"));
		assertRevealsNoSecret(this.template);
		assertRevealsNoSecret(this.template.reactive());
		assertThat(this.template.reactive().toString()).contains(CONNECTION_ID);
	}

	private void assertNothingSent() {
		assertThat(this.servers.streaming().requestCount()).isZero();
	}

	private StreamingTemplate templateWith(XdmEnvelopeSettings settings) {
		return new StreamingTemplate(new ReactiveStreamingTemplate(
				this.servers.client(this.servers.tokenManager(), FLOW_ID, Clock.systemUTC()),
				AepTestServers.writer(settings), false));
	}

	private static Map<String, Object> pageView(String id) {
		Map<String, Object> entity = new LinkedHashMap<>();
		entity.put("_id", id);
		entity.put("timestamp", "2025-01-01T00:00:00Z");
		entity.put("eventType", "web.webpagedetails.pageViews");
		entity.put("web", Map.of("webPageDetails", Map.of("name", "home", "pageViews", Map.of("value", 1))));
		return entity;
	}

	record PageView(@JsonProperty("_id") String id, String timestamp, String eventType) {

	}

	static class UnwritableEntity {

		public String getId() {
			throw new IllegalStateException("lazy state not loaded");
		}

	}

}
