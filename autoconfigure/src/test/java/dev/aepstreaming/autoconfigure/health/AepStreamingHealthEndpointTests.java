package dev.aepstreaming.autoconfigure.health;

import java.time.Duration;

import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorFaults.OutageMode;
import dev.aepstreaming.ims.ImsTokenManager;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the {@code aepStreaming} component of the health endpoint over HTTP, in a running
 * servlet application that streams to the embedded emulator.
 *
 * @author aep-streaming
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "aep.streaming.emulator.enabled=true", "aep.streaming.flow-id=flow-health",
				"aep.streaming.xdm.schema-id=https://ns.adobe.com/emulator/schemas/events",
				"aep.streaming.xdm.dataset-id=dataset-health", "management.endpoint.health.show-details=always" })
class AepStreamingHealthEndpointTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private AepEmulator emulator;

	@Autowired
	private ImsTokenManager tokenManager;

	@Test
	void healthEndpointShowsTheConnectionUpThenDownOnceTheTokenIsGoneAndIMSFails() {
		assertThat(this.context).isInstanceOf(WebApplicationContext.class);
		ResponseEntity<String> up = getHealth();
		assertThat(up.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(200));
		JsonNode upJson = JsonMapper.builder().build().readTree(up.getBody());
		assertThat(upJson.path("status").asString()).isEqualTo("UP");
		JsonNode details = upJson.path("details");
		assertThat(details.path("connectionId").asString()).isNotEmpty();
		assertThat(details.path("tokenExpiresAt").asString())
			.isEqualTo(this.tokenManager.getCurrentToken().orElseThrow().getExpiresAt().toString());
		assertThat(details.path("circuitBreaker").asString()).isEqualTo("CLOSED");
		assertThat(details.path("lastAcknowledgedAt").asString()).isEqualTo("never");
		assertThat(details.path("bufferedEvents").asInt()).isZero();
		String tokenValue = this.tokenManager.getCurrentToken().orElseThrow().getTokenValue();
		assertThat(up.getBody()).doesNotContain(tokenValue).doesNotContain(this.emulator.clientSecret());
		this.emulator.faults().tokenOutage(Duration.ofMinutes(10), OutageMode.UNAVAILABLE);
		this.emulator.revokeAllTokens();
		this.tokenManager.invalidate(this.tokenManager.getCurrentToken().orElseThrow());
		ResponseEntity<String> down = getHealth();
		assertThat(down.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(503));
		JsonNode downJson = JsonMapper.builder().build().readTree(down.getBody());
		assertThat(downJson.path("status").asString()).isEqualTo("DOWN");
		assertThat(downJson.path("details").path("reason").asString()).contains("IMS is unreachable or failing")
			.contains(this.emulator.clientId());
		assertThat(down.getBody()).doesNotContain(tokenValue).doesNotContain(this.emulator.clientSecret());
	}

	private ResponseEntity<String> getHealth() {
		return WebClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/actuator/health/aepStreaming")
			.exchangeToMono((response) -> response.toEntity(String.class))
			.block(TIMEOUT);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class HealthApplication {

	}

}
