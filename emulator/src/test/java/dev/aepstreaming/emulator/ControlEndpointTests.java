package dev.aepstreaming.emulator;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract tests of the {@code /emulator} control endpoints.
 */
class ControlEndpointTests {

	private static final String CONNECTION = "control-connection";

	private MutableClock clock;

	private AepEmulator emulator;

	private EmulatorClient client;

	@BeforeEach
	void startEmulator() {
		this.clock = MutableClock.startingAt("2025-06-01T10:00:00Z");
		this.emulator = AepEmulator.builder().clock(this.clock).seed(7).build().start();
		this.client = new EmulatorClient(this.emulator);
	}

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	@Test
	void infoDescribesTheEmulatorWithoutTheSecret() {
		HttpResponse<String> response = this.client.request("GET", "/emulator", null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = EmulatorClient.json(response);
		assertThat(body.get("tokenUri").asString()).isEqualTo(this.emulator.tokenUri());
		assertThat(body.get("clientId").asString()).isEqualTo(EmulatorCredential.DEFAULT_CLIENT_ID);
		assertThat(body.get("orgId").asString()).isEqualTo(EmulatorCredential.DEFAULT_ORG_ID);
		assertThat(body.get("tokenLifetimeSeconds").asLong()).isEqualTo(86400);
		assertThat(response.body()).doesNotContain(this.emulator.clientSecret());
	}

	@Test
	void faultsAreReadAndChangedAsJson() {
		HttpResponse<String> response = this.client.request("PUT", "/emulator/faults",
				"{\"endpoints\":{\"token\":{\"rate503\":1.0,\"retryAfterSeconds\":4}}}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(EmulatorClient.json(response).at("/endpoints/token/rate503").asDouble()).isEqualTo(1.0);
		assertThat(this.emulator.faults().get(EmulatorEndpoint.TOKEN).retryAfter()).isEqualTo(Duration.ofSeconds(4));
		HttpResponse<String> token = this.client.postToken(this.client.validTokenForm());
		assertThat(token.statusCode()).isEqualTo(503);
		assertThat(token.headers().firstValue("Retry-After")).hasValue("4");
		JsonNode faults = EmulatorClient.json(this.client.request("GET", "/emulator/faults", null));
		assertThat(faults.get("seed").asLong()).isEqualTo(7);
		assertThat(faults.at("/endpoints/single/rate503").asDouble()).isZero();
		assertThat(faults.get("tokenOutage").isNull()).isTrue();
	}

	@Test
	void partialFaultChangeKeepsTheOtherValues() {
		this.emulator.faults().latency(EmulatorEndpoint.SINGLE, Duration.ofMillis(5));
		this.client.request("POST", "/emulator/faults", "{\"endpoints\":{\"single\":{\"dropRate\":0.25}}}");
		EndpointFaults single = this.emulator.faults().get(EmulatorEndpoint.SINGLE);
		assertThat(single.dropRate()).isEqualTo(0.25);
		assertThat(single.latency()).isEqualTo(Duration.ofMillis(5));
	}

	@Test
	void invalidFaultsAreABadRequestAndChangeNothing() {
		HttpResponse<String> response = this.client.request("PUT", "/emulator/faults",
				"{\"endpoints\":{\"single\":{\"rate500\":0.2},\"batch\":{\"rate500\":2}}}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).get("error").asString()).contains("rate500");
		assertThat(this.emulator.faults().get(EmulatorEndpoint.SINGLE)).isEqualTo(EndpointFaults.NONE);
		assertThat(this.client.request("PUT", "/emulator/faults", "{not json").statusCode()).isEqualTo(400);
		assertThat(this.client.request("PUT", "/emulator/faults", "{\"endpoints\":{\"other\":{}}}").statusCode())
			.isEqualTo(400);
	}

	@Test
	void faultsAreResetWithDeleteOrPost() {
		this.emulator.faults().errorRate(EmulatorEndpoint.BATCH, 500, 1.0);
		assertThat(this.client.request("DELETE", "/emulator/faults", null).statusCode()).isEqualTo(200);
		assertThat(this.emulator.faults().get(EmulatorEndpoint.BATCH)).isEqualTo(EndpointFaults.NONE);
		this.emulator.faults().errorRate(EmulatorEndpoint.BATCH, 500, 1.0);
		assertThat(this.client.request("POST", "/emulator/faults/reset", null).statusCode()).isEqualTo(200);
		assertThat(this.emulator.faults().get(EmulatorEndpoint.BATCH)).isEqualTo(EndpointFaults.NONE);
	}

	@Test
	void tokenOutageIsScheduledAndCancelled() {
		HttpResponse<String> response = this.client.request("POST", "/emulator/faults/token-outage",
				"{\"durationMs\":30000,\"mode\":\"drop\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode outage = EmulatorClient.json(response).get("tokenOutage");
		assertThat(outage.get("startMs").asLong()).isEqualTo(this.clock.millis());
		assertThat(outage.get("endMs").asLong()).isEqualTo(this.clock.millis() + 30000);
		assertThat(outage.get("mode").asString()).isEqualTo("drop");
		this.client.request("DELETE", "/emulator/faults/token-outage", null);
		assertThat(this.emulator.faults().tokenOutage()).isEmpty();
		long start = this.clock.millis() + 1000;
		this.client.request("POST", "/emulator/faults/token-outage",
				"{\"startMs\":" + start + ",\"endMs\":" + (start + 1000) + "}");
		assertThat(this.emulator.faults().tokenOutage()).hasValueSatisfying(
				(scheduled) -> assertThat(scheduled.mode()).isEqualTo(EmulatorFaults.OutageMode.UNAVAILABLE));
		assertThat(this.client.request("POST", "/emulator/faults/token-outage", "{}").statusCode()).isEqualTo(400);
	}

	@Test
	void tokensAreRevoked() {
		String token = this.client.fetchToken();
		HttpResponse<String> response = this.client.request("POST", "/emulator/tokens/revoke", null);
		assertThat(EmulatorClient.json(response).get("revocationEpoch").asLong()).isEqualTo(1);
		assertThat(this.client
			.postSingle(CONNECTION, XdmMessages.json(XdmMessages.valid()), this.client.streamingHeaders(token))
			.statusCode()).isEqualTo(401);
	}

	@Test
	void variantsAreReadAndChanged() {
		HttpResponse<String> response = this.client.request("PUT", "/emulator/variants",
				"{\"batchStatusField\":\"status\",\"syncValidationSupported\":false,\"rejectedTokenStatus\":403}");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode variants = EmulatorClient.json(this.client.request("GET", "/emulator/variants", null));
		assertThat(variants.get("batchStatusField").asString()).isEqualTo("status");
		assertThat(variants.get("syncValidationSupported").asBoolean()).isFalse();
		assertThat(variants.get("rejectedTokenStatus").asInt()).isEqualTo(403);
		assertThat(variants.get("invalidClientStatus").asInt()).isEqualTo(400);
		assertThat(this.client.request("PUT", "/emulator/variants", "{\"rejectedTokenStatus\":500}").statusCode())
			.isEqualTo(400);
	}

	@Test
	void recorderSummaryCountsAndListsShowTheRecentEntries() {
		String token = this.client.fetchToken();
		this.client.postSingle(CONNECTION, XdmMessages.json(XdmMessages.valid("listed")),
				this.client.streamingHeaders(token));
		this.client.postSingle(CONNECTION, "{}", this.client.streamingHeaders(token));
		JsonNode summary = EmulatorClient.json(this.client.request("GET", "/emulator/recorder", null));
		assertThat(summary.get("acceptedMessages").asLong()).isEqualTo(1);
		assertThat(summary.get("tokenRequests").asLong()).isEqualTo(1);
		assertThat(summary.get("issuedTokens").asLong()).isEqualTo(1);
		assertThat(summary.get("rejections").asLong()).isEqualTo(1);
		assertThat(summary.get("capacity").asLong()).isEqualTo(10_000);
		JsonNode messages = EmulatorClient.json(this.client.request("GET", "/emulator/recorder/messages", null));
		assertThat(messages).hasSize(1);
		assertThat(messages.at("/0/body/body/xdmEntity/_id").asString()).isEqualTo("listed");
		assertThat(messages.at("/0/headers").has("authorization")).isFalse();
		JsonNode tokenRequests = EmulatorClient
			.json(this.client.request("GET", "/emulator/recorder/token-requests?limit=1", null));
		assertThat(tokenRequests.at("/0/outcome").asString()).isEqualTo("issued");
		JsonNode rejections = EmulatorClient.json(this.client.request("GET", "/emulator/recorder/rejections", null));
		assertThat(rejections.at("/0/status").asInt()).isEqualTo(400);
		this.client.request("POST", "/emulator/recorder/reset", null);
		assertThat(this.emulator.recorder().acceptedMessageCount()).isZero();
	}

	@Test
	void resetRestoresFaultsVariantsAndRecorder() {
		this.emulator.faults().errorRate(EmulatorEndpoint.SINGLE, 500, 1.0);
		this.emulator.variants().rejectedTokenStatus(403);
		this.client.fetchToken();
		assertThat(this.client.request("POST", "/emulator/reset", null).statusCode()).isEqualTo(200);
		assertThat(this.emulator.faults().get(EmulatorEndpoint.SINGLE)).isEqualTo(EndpointFaults.NONE);
		assertThat(this.emulator.variants().rejectedTokenStatus()).isEqualTo(401);
		assertThat(this.emulator.recorder().tokenRequestCount()).isZero();
	}

	@Test
	void unknownControlPathIsNotFoundAndWrongMethodIsNotAllowed() {
		assertThat(this.client.request("GET", "/emulator/unknown", null).statusCode()).isEqualTo(404);
		HttpResponse<String> response = this.client.request("GET", "/emulator/tokens/revoke", null);
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("POST");
		assertThat(this.client.request("GET", "/elsewhere", null).statusCode()).isEqualTo(404);
	}

}
