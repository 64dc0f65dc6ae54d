package dev.aepstreaming.emulator;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract tests of the emulated single-message streaming endpoint.
 */
class StreamingSingleEndpointTests {

	private static final String CONNECTION = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

	private static final String OPEN_CONNECTION = "open-connection";

	private MutableClock clock;

	private AepEmulator emulator;

	private EmulatorClient client;

	private String token;

	@BeforeEach
	void startEmulator() {
		this.clock = MutableClock.startingAt("2025-06-01T10:00:00Z");
		this.emulator = AepEmulator.builder()
			.clock(this.clock)
			.tokenLifetime(Duration.ofSeconds(30))
			.unauthenticatedConnection(OPEN_CONNECTION)
			.syncValidationRequestsPerMinute(3)
			.build()
			.start();
		this.client = new EmulatorClient(this.emulator);
		this.token = this.client.fetchToken();
	}

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	@Test
	void validMessageIsAcceptedWithTransactionAndSkippedSyncValidation() {
		HttpResponse<String> response = send(XdmMessages.json(XdmMessages.valid()));
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = EmulatorClient.json(response);
		assertThat(body.get("inletId").asString()).isEqualTo(CONNECTION);
		assertThat(body.get("xactionId").asString()).matches("\\d+:\\d+:\\d+");
		assertThat(body.get("receivedTimeMs").asLong()).isEqualTo(this.clock.millis());
		assertThat(body.get("syncValidation").get("skipped").asBoolean()).isTrue();
	}

	@Test
	void acceptedMessageIsRecordedWithoutTheAuthorizationHeader() {
		HttpResponse<String> response = send(XdmMessages.json(XdmMessages.valid("recorded-event")));
		RecordedMessage message = this.emulator.recorder().messages().get(0);
		assertThat(message.connectionId()).isEqualTo(CONNECTION);
		assertThat(message.batch()).isFalse();
		assertThat(message.body().at("/body/xdmEntity/_id").asString()).isEqualTo("recorded-event");
		assertThat(message.xactionId()).isEqualTo(EmulatorClient.json(response).get("xactionId").asString());
		assertThat(message.receivedAt()).isEqualTo(this.clock.instant());
		assertThat(message.header("X-Sandbox-Name")).isEqualTo(EmulatorClient.SANDBOX);
		assertThat(message.headers()).doesNotContainKey("authorization");
		assertThat(message.toString()).doesNotContain(this.token);
	}

	@Test
	void missingTokenIsAnAuthorizationProblemWithStringStatus() {
		HttpResponse<String> response = this.client.postSingle(CONNECTION, XdmMessages.json(XdmMessages.valid()),
				"x-api-key", this.emulator.clientId(), "x-gw-ims-org-id", this.emulator.orgId(), "x-sandbox-name",
				EmulatorClient.SANDBOX);
		assertThat(response.statusCode()).isEqualTo(401);
		JsonNode body = EmulatorClient.json(response);
		assertThat(body.get("type").asString())
			.isEqualTo("https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization");
		assertThat(body.get("status").isString()).isTrue();
		assertThat(body.get("status").asString()).isEqualTo("401");
		assertThat(body.get("title").asString()).isEqualTo("Authorization");
		assertThat(body.at("/report/message").asString()).matches("\\[[^\\]]+\\] Ims service token is empty");
	}

	@Test
	void malformedTokenIsUnauthorized() {
		assertUnauthorized(sendWithToken("not-a-jwt"), "malformed");
	}

	@Test
	void nonBearerAuthorizationIsUnauthorized() {
		HttpResponse<String> response = this.client.postSingle(CONNECTION, XdmMessages.json(XdmMessages.valid()),
				"Authorization", "Basic Zm9vOmJhcg==", "x-api-key", this.emulator.clientId(), "x-gw-ims-org-id",
				this.emulator.orgId(), "x-sandbox-name", EmulatorClient.SANDBOX);
		assertUnauthorized(response, "malformed");
	}

	@Test
	void tokenFromAnotherEmulatorFailsItsSignature() {
		String foreignToken;
		try (AepEmulator other = AepEmulator.builder().clock(this.clock).build().start()) {
			foreignToken = new EmulatorClient(other).fetchToken();
		}
		assertUnauthorized(sendWithToken(foreignToken), "signature is invalid");
	}

	@Test
	void tamperedTokenFailsItsSignature() {
		String[] parts = this.token.split("\\.");
		String tampered = parts[0] + "." + parts[1] + "x." + parts[2];
		assertThat(sendWithToken(tampered).statusCode()).isEqualTo(401);
	}

	@Test
	void tokenIsValidUntilItsLifetimeHasPassedOnTheEmulatorClock() {
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(send(XdmMessages.json(XdmMessages.valid())).statusCode()).isEqualTo(200);
		this.clock.advance(Duration.ofSeconds(1));
		assertUnauthorized(send(XdmMessages.json(XdmMessages.valid())), "expired");
	}

	@Test
	void revokedTokenIsUnauthorizedWhileANewTokenIsAccepted() {
		this.emulator.revokeAllTokens();
		assertUnauthorized(send(XdmMessages.json(XdmMessages.valid())), "revoked");
		String newToken = this.client.fetchToken();
		assertThat(sendWithToken(newToken).statusCode()).isEqualTo(200);
	}

	@Test
	void rejectedTokenCanBeAnswered403LikeOneAepPageSays() {
		this.emulator.variants().rejectedTokenStatus(403);
		HttpResponse<String> response = sendWithToken("not-a-jwt");
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(EmulatorClient.json(response).get("status").asString()).isEqualTo("403");
	}

	@Test
	void apiKeyOtherThanTheTokenClientIdIsUnauthorized() {
		HttpResponse<String> response = sendWithHeaders(XdmMessages.json(XdmMessages.valid()), "Authorization",
				"Bearer " + this.token, "x-api-key", "another-client", "x-gw-ims-org-id", this.emulator.orgId(),
				"x-sandbox-name", EmulatorClient.SANDBOX);
		assertUnauthorized(response, "x-api-key");
	}

	@Test
	void orgIdOtherThanTheCredentialOrgIsUnauthorized() {
		HttpResponse<String> response = sendWithHeaders(XdmMessages.json(XdmMessages.valid()), "Authorization",
				"Bearer " + this.token, "x-api-key", this.emulator.clientId(), "x-sandbox-name",
				EmulatorClient.SANDBOX);
		assertUnauthorized(response, "x-gw-ims-org-id");
	}

	@Test
	void missingSandboxNameIsABadRequest() {
		HttpResponse<String> response = sendWithHeaders(XdmMessages.json(XdmMessages.valid()), "Authorization",
				"Bearer " + this.token, "x-api-key", this.emulator.clientId(), "x-gw-ims-org-id",
				this.emulator.orgId());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).at("/report/message").asString()).contains("x-sandbox-name");
	}

	@Test
	void unauthenticatedConnectionNeedsNoTokenNorCredentialHeaders() {
		HttpResponse<String> response = this.client.postSingle(OPEN_CONNECTION, XdmMessages.json(XdmMessages.valid()));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(EmulatorClient.json(response).get("inletId").asString()).isEqualTo(OPEN_CONNECTION);
	}

	@Test
	void contentTypeOtherThanJsonIsUnsupported() {
		HttpResponse<String> response = this.client.send(
				HttpRequest.newBuilder(URI.create(this.emulator.collectionUri(CONNECTION)))
					.header("Content-Type", "text/plain")
					.POST(HttpRequest.BodyPublishers.ofString(XdmMessages.json(XdmMessages.valid()))),
				this.client.streamingHeaders(this.token));
		assertThat(response.statusCode()).isEqualTo(415);
	}

	@Test
	void bodyOfExactlyOneMillionBytesIsAccepted() {
		assertThat(sendRaw(rawBodyOfSize(1_000_000)).statusCode()).isEqualTo(200);
	}

	@Test
	void bodyAboveOneMillionBytesIsTooLarge() {
		HttpResponse<String> response = sendRaw(rawBodyOfSize(1_000_001));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(EmulatorClient.json(response).get("status").asInt()).isEqualTo(413);
	}

	@Test
	void invalidJsonIsABadRequest() {
		HttpResponse<String> response = send("{\"header\":");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).get("type").asString())
			.isEqualTo("http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet");
	}

	@Test
	void trailingContentAfterTheJsonIsABadRequest() {
		assertThat(send(XdmMessages.json(XdmMessages.valid()) + " trailing").statusCode()).isEqualTo(400);
	}

	@Test
	void emptyBodyIsABadRequest() {
		assertThat(send("").statusCode()).isEqualTo(400);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/header/schemaRef", "/header/imsOrgId", "/header/datasetId", "/header/flowId",
			"/body/xdmMeta/schemaRef", "/body/xdmEntity", "/header", "/body" })
	void missingRequiredEnvelopeFieldIsAnInvalidXdmMessage(String pointer) {
		ObjectNode message = XdmMessages.valid();
		int slash = pointer.lastIndexOf('/');
		JsonNode parent = (slash == 0) ? message : message.at(pointer.substring(0, slash));
		((ObjectNode) parent).remove(pointer.substring(slash + 1));
		HttpResponse<String> response = send(XdmMessages.json(message));
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode body = EmulatorClient.json(response);
		assertThat(body.get("type").asString())
			.isEqualTo("http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet");
		assertThat(body.get("status").asInt()).isEqualTo(400);
		assertThat(body.get("title").asString()).isEqualTo("Invalid XDM Message Format");
		assertThat(body.at("/report/message").asString()).contains(pointer.substring(1).replace('/', '.'));
		assertThat(body.at("/report/cause/reason").asString()).isEqualTo("missing");
	}

	@Test
	void bodySchemaRefDifferentFromTheHeaderSchemaRefIsAnInvalidXdmMessage() {
		ObjectNode message = XdmMessages.valid();
		((ObjectNode) message.at("/body/xdmMeta/schemaRef")).put("id", "https://ns.adobe.com/other/schemas/1");
		HttpResponse<String> response = send(XdmMessages.json(message));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).at("/report/cause/reason").asString()).isEqualTo("mismatch");
	}

	@Test
	void nonXdmBodyWithoutFlowIdHasAnUnknownXdmFormat() {
		HttpResponse<String> response = send("{\"name\":\"raw\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).at("/report/message").asString())
			.contains("Message has unknown xdm format");
	}

	@Test
	void nonXdmBodyWithFlowIdHeaderIsAcceptedAsRawData() {
		HttpResponse<String> response = sendRaw("{\"name\":\"raw\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.emulator.recorder().messages().get(0).body().get("name").asString()).isEqualTo("raw");
	}

	@Test
	void nonXdmBodyWithFlowIdQueryParameterIsAcceptedAsRawData() {
		HttpResponse<String> response = this.client.postJson(
				this.emulator.collectionUri(CONNECTION) + "?flowId=raw-flow", "[1,2,3]",
				this.client.streamingHeaders(this.token));
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void synchronousValidationPassesAValidMessage() {
		HttpResponse<String> response = sendSync(XdmMessages.valid(), "syncValidation");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = EmulatorClient.json(response);
		assertThat(body.get("syncValidation").get("status").asString()).isEqualTo("pass");
		assertThat(body.get("syncValidation").has("skipped")).isFalse();
	}

	@Test
	void synchronousValidationAlsoAcceptsTheSynchronousValidationSpelling() {
		HttpResponse<String> response = sendSync(XdmMessages.valid(), "synchronousValidation");
		assertThat(EmulatorClient.json(response).at("/syncValidation/status").asString()).isEqualTo("pass");
	}

	@Test
	void synchronousValidationRejectsAnOrgOtherThanTheToken() {
		ObjectNode message = XdmMessages.valid();
		((ObjectNode) message.get("header")).put("imsOrgId", "OTHER000000000000000000@AdobeOrg");
		assertThat(sendSync(message, "syncValidation").statusCode()).isEqualTo(400);
		assertThat(send(XdmMessages.json(message)).statusCode()).isEqualTo(200);
	}

	@Test
	void synchronousValidationRejectsAnEmptyEntity() {
		ObjectNode message = XdmMessages.valid();
		((ObjectNode) message.get("body")).putObject("xdmEntity");
		assertThat(sendSync(message, "syncValidation").statusCode()).isEqualTo(400);
	}

	@Test
	void synchronousValidationIsLimitedPerConnectionAndMinute() {
		for (int i = 0; i < 3; i++) {
			assertThat(sendSync(XdmMessages.valid(), "syncValidation").statusCode()).isEqualTo(200);
		}
		assertThat(sendSync(XdmMessages.valid(), "syncValidation").statusCode()).isEqualTo(429);
		assertThat(send(XdmMessages.json(XdmMessages.valid())).statusCode()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(1));
		this.token = this.client.fetchToken();
		assertThat(sendSync(XdmMessages.valid(), "syncValidation").statusCode()).isEqualTo(200);
	}

	@Test
	void synchronousValidationCanBeUnsupportedLikeInSomeRegions() {
		this.emulator.variants().syncValidationSupported(false);
		HttpResponse<String> response = sendSync(XdmMessages.valid(), "syncValidation");
		assertThat(response.statusCode()).isEqualTo(501);
		assertThat(this.emulator.recorder().acceptedMessageCount()).isZero();
	}

	@Test
	void rejectionsAreRecordedWithTheirStatus() {
		sendWithToken("not-a-jwt");
		send("{\"name\":\"raw\"}");
		assertThat(this.emulator.recorder().rejections()).extracting(RecordedRejection::status)
			.containsExactly(401, 400);
		assertThat(this.emulator.recorder().rejections())
			.allSatisfy((rejection) -> assertThat(rejection.endpoint()).isEqualTo(EmulatorEndpoint.SINGLE));
		assertThat(this.emulator.recorder().acceptedMessageCount()).isZero();
	}

	@Test
	void getIsNotAllowed() {
		HttpResponse<String> response = this.client.request("GET", "/collection/" + CONNECTION, null);
		assertThat(response.statusCode()).isEqualTo(405);
	}

	private void assertUnauthorized(HttpResponse<String> response, String messagePart) {
		assertThat(response.statusCode()).isEqualTo(401);
		JsonNode body = EmulatorClient.json(response);
		assertThat(body.get("status").asString()).isEqualTo("401");
		assertThat(body.at("/report/message").asString()).contains(messagePart);
		Consumer<RecordedRejection> unauthorized = (rejection) -> assertThat(rejection.status()).isEqualTo(401);
		assertThat(this.emulator.recorder().rejections()).last().satisfies(unauthorized);
	}

	private HttpResponse<String> send(String body) {
		return this.client.postSingle(CONNECTION, body, this.client.streamingHeaders(this.token));
	}

	private HttpResponse<String> sendWithToken(String token) {
		return this.client.postSingle(CONNECTION, XdmMessages.json(XdmMessages.valid()),
				this.client.streamingHeaders(token));
	}

	private HttpResponse<String> sendWithHeaders(String body, String... headers) {
		return this.client.postSingle(CONNECTION, body, headers);
	}

	private HttpResponse<String> sendRaw(String body) {
		String[] headers = this.client.streamingHeaders(this.token);
		String[] withFlow = Arrays.copyOf(headers, headers.length + 2);
		withFlow[headers.length] = "x-adobe-flow-id";
		withFlow[headers.length + 1] = "raw-flow";
		return this.client.postSingle(CONNECTION, body, withFlow);
	}

	private HttpResponse<String> sendSync(ObjectNode message, String parameter) {
		return this.client.postJson(this.emulator.collectionUri(CONNECTION) + "?" + parameter + "=true",
				XdmMessages.json(message), this.client.streamingHeaders(this.token));
	}

	private static String rawBodyOfSize(int size) {
		String prefix = "{\"pad\":\"";
		String suffix = "\"}";
		return prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix;
	}

}
