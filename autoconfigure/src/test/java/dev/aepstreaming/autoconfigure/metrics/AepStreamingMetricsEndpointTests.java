package dev.aepstreaming.autoconfigure.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that a running application with Actuator shows every AEP streaming meter at
 * {@code /actuator/metrics}, streaming to the embedded emulator.
 *
 * @author aep-streaming
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-1",
				"aep.streaming.xdm.schema-id=https://ns.adobe.com/emulator/schemas/events",
				"aep.streaming.xdm.dataset-id=dataset-1", "aep.streaming.retry.max-attempts=2",
				"aep.streaming.retry.initial-backoff=5ms", "aep.streaming.retry.max-backoff=20ms",
				"aep.streaming.rate-limit.enabled=false", "aep.streaming.buffer.capacity=300",
				"management.endpoints.web.exposure.include=metrics" })
class AepStreamingMetricsEndpointTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private StreamingTemplate template;

	@Autowired
	private AepEmulator emulator;

	@Test
	void everyMeterIsShownWithItsMeasurementsAndTags() throws Exception {
		this.template.send(event("evt-1"));
		this.template.send(event("evt-2"));
		assertThatExceptionOfType(StreamingValidationException.class)
			.isThrownBy(() -> this.template.send(invalidEvent("evt-3")));
		this.template.sendBatch(List.of(event("b-1"), event("b-2"), event("b-3")));
		this.emulator.faults()
			.errorRate(EmulatorEndpoint.SINGLE, 503, 1.0)
			.retryAfter(EmulatorEndpoint.SINGLE, Duration.ZERO);
		try {
			assertThatExceptionOfType(StreamingServerException.class)
				.isThrownBy(() -> this.template.send(event("e-4")));
		}
		finally {
			this.emulator.faults().reset();
		}
		JsonNode events = metric("aep.streaming.events");
		assertThat(events.path("baseUnit").asString()).isEqualTo("events");
		assertThat(measurement(events, "COUNT")).isEqualTo(7);
		assertThat(tagValues(events, "connection")).containsExactly("default");
		assertThat(tagValues(events, "outcome")).containsExactlyInAnyOrder("acknowledged", "failed");
		assertThat(tagValues(events, "status")).containsExactlyInAnyOrder("2xx", "4xx", "5xx");
		assertThat(measurement(metric("aep.streaming.events", "outcome:acknowledged"), "COUNT")).isEqualTo(5);
		assertThat(measurement(metric("aep.streaming.events", "outcome:failed", "status:5xx"), "COUNT")).isOne();
		JsonNode requests = metric("aep.streaming.requests");
		assertThat(measurement(requests, "COUNT")).isEqualTo(6);
		assertThat(measurement(requests, "TOTAL_TIME")).isPositive();
		assertThat(tagValues(requests, "kind")).containsExactlyInAnyOrder("single", "batch");
		assertThat(tagValues(requests, "outcome")).containsExactlyInAnyOrder("success", "failure");
		assertThat(tagValues(requests, "status")).containsExactlyInAnyOrder("2xx", "4xx", "5xx");
		assertThat(measurement(metric("aep.streaming.requests", "kind:batch"), "COUNT")).isOne();
		JsonNode batchSize = metric("aep.streaming.batch.size");
		assertThat(batchSize.path("baseUnit").asString()).isEqualTo("events");
		assertThat(measurement(batchSize, "COUNT")).isOne();
		assertThat(measurement(batchSize, "TOTAL")).isEqualTo(3);
		JsonNode retries = metric("aep.streaming.retries");
		assertThat(measurement(retries, "COUNT")).isOne();
		assertThat(tagValues(retries, "connection")).containsExactly("default");
		JsonNode tokenRequests = metric("aep.streaming.token.requests");
		assertThat(measurement(tokenRequests, "COUNT")).isOne();
		assertThat(tagValues(tokenRequests, "credential")).containsExactly("default");
		assertThat(tagValues(tokenRequests, "outcome")).containsExactly("success");
		JsonNode expiry = metric("aep.streaming.token.expiry");
		assertThat(expiry.path("baseUnit").asString()).isEqualTo("seconds");
		assertThat(measurement(expiry, "VALUE")).isPositive()
			.isLessThanOrEqualTo(this.emulator.tokenLifetime().toSeconds());
		assertThat(tagValues(expiry, "credential")).containsExactly("default");
		JsonNode occupancy = metric("aep.streaming.buffer.occupancy");
		assertThat(occupancy.path("baseUnit").asString()).isEqualTo("events");
		assertThat(measurement(occupancy, "VALUE")).isZero();
		assertThat(tagValues(occupancy, "connection")).containsExactly("default");
		assertThat(measurement(metric("aep.streaming.buffer.capacity"), "VALUE")).isEqualTo(300);
	}

	private JsonNode metric(String name, String... tags) throws Exception {
		StringBuilder uri = new StringBuilder("http://localhost:" + this.port + "/actuator/metrics/" + name);
		for (int i = 0; i < tags.length; i++) {
			uri.append((i == 0) ? '?' : '&').append("tag=").append(tags[i]);
		}
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static double measurement(JsonNode metric, String statistic) {
		for (JsonNode measurement : metric.path("measurements")) {
			if (statistic.equals(measurement.path("statistic").asString())) {
				return measurement.path("value").asDouble();
			}
		}
		throw new AssertionError("No " + statistic + " in " + metric);
	}

	private static List<String> tagValues(JsonNode metric, String tag) {
		for (JsonNode availableTag : metric.path("availableTags")) {
			if (tag.equals(availableTag.path("tag").asString())) {
				return availableTag.path("values").valueStream().map(JsonNode::asString).toList();
			}
		}
		return List.of();
	}

	private static Map<String, Object> event(String id) {
		return Map.of("_id", id, "timestamp", "2026-12-03T10:00:00Z");
	}

	/**
	 * An event whose envelope lacks the organization, dataset and flow that AEP requires.
	 */
	private static StreamingMessage invalidEvent(String id) {
		Map<String, Object> schemaRef = Map.of("id", "https://ns.adobe.com/emulator/schemas/events");
		return StreamingMessage.envelope(Map.of("header", Map.of("schemaRef", schemaRef), "body",
				Map.of("xdmMeta", Map.of("schemaRef", schemaRef), "xdmEntity", event(id))));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MetricsApplication {

	}

}
