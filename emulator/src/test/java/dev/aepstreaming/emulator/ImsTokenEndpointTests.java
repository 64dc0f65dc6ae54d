package dev.aepstreaming.emulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract tests of the emulated IMS token endpoint.
 */
class ImsTokenEndpointTests {

	private static final String OTHER_SECRET = "rotated-secret";

	private MutableClock clock;

	private AepEmulator emulator;

	private EmulatorClient client;

	@BeforeEach
	void startEmulator() {
		this.clock = MutableClock.startingAt("2025-06-01T10:00:00Z");
		this.emulator = AepEmulator.builder()
			.clock(this.clock)
			.credential(EmulatorCredential.defaultCredential().withAdditionalSecret(OTHER_SECRET))
			.build()
			.start();
		this.client = new EmulatorClient(this.emulator);
	}

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	@Test
	void clientSecretPostIssuesABearerTokenThatExpiresInSecondsLikeIms() {
		HttpResponse<String> response = this.client.postToken(this.client.validTokenForm());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((contentType) -> assertThat(contentType).startsWith("application/json"));
		JsonNode body = EmulatorClient.json(response);
		assertThat(body.propertyNames()).containsExactlyInAnyOrder("access_token", "token_type", "expires_in");
		assertThat(body.get("token_type").asString()).isEqualTo("bearer");
		assertThat(body.get("expires_in").isIntegralNumber()).isTrue();
		assertThat(body.get("expires_in").asLong()).isEqualTo(86399);
	}

	@Test
	void accessTokenIsAJwtWithAdobeStyleMillisecondClaims() {
		String token = this.client.fetchToken();
		String[] parts = token.split("\\.");
		assertThat(parts).hasSize(3);
		JsonNode header = EmulatorClient.json(decode(parts[0]));
		JsonNode claims = EmulatorClient.json(decode(parts[1]));
		assertThat(header.get("alg").asString()).isEqualTo("HS256");
		assertThat(claims.get("client_id").asString()).isEqualTo(EmulatorCredential.DEFAULT_CLIENT_ID);
		assertThat(claims.get("org").asString()).isEqualTo(EmulatorCredential.DEFAULT_ORG_ID);
		assertThat(claims.get("created_at").asString()).isEqualTo(Long.toString(this.clock.millis()));
		assertThat(claims.get("expires_in").asString()).isEqualTo("86400000");
		assertThat(claims.get("id").asString()).isNotBlank();
	}

	@Test
	void everyTokenHasAUniqueId() {
		String first = EmulatorClient.json(decode(this.client.fetchToken().split("\\.")[1])).get("id").asString();
		String second = EmulatorClient.json(decode(this.client.fetchToken().split("\\.")[1])).get("id").asString();
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void clientSecretBasicIsAccepted() {
		Map<String, String> form = Map.of("grant_type", "client_credentials", "scope", "openid,AdobeID");
		HttpResponse<String> response = this.client.postToken(form, "Authorization",
				EmulatorClient.basic(this.emulator.clientId(), this.emulator.clientSecret()));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(EmulatorClient.json(response).get("access_token").asString()).isNotBlank();
	}

	@Test
	void clientSecretBasicWithADifferentClientIdParameterIsAnInvalidRequest() {
		Map<String, String> form = Map.of("grant_type", "client_credentials", "scope", "openid", "client_id",
				"someone-else");
		HttpResponse<String> response = this.client.postToken(form, "Authorization",
				EmulatorClient.basic(this.emulator.clientId(), this.emulator.clientSecret()));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).get("error").asString()).isEqualTo("invalid_request");
	}

	@Test
	void parametersCanBeQueryParameters() {
		String query = EmulatorClient.form(this.client.validTokenForm());
		HttpResponse<String> response = this.client
			.send(HttpRequest.newBuilder(URI.create(this.emulator.tokenUri() + "?" + query))
				.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void bodyParametersWinOverQueryParameters() {
		String query = "client_secret=" + URLEncoder.encode("wrong", StandardCharsets.UTF_8);
		HttpResponse<String> response = this.client
			.send(HttpRequest.newBuilder(URI.create(this.emulator.tokenUri() + "?" + query))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(EmulatorClient.form(this.client.validTokenForm()))));
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void v2PathIsServedLikeV3() {
		HttpResponse<String> response = this.client
			.send(HttpRequest.newBuilder(URI.create(this.emulator.baseUrl() + "/ims/token/v2"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(EmulatorClient.form(this.client.validTokenForm()))));
		assertThat(response.statusCode()).isEqualTo(200);
	}

	@Test
	void wrongSecretIsAnInvalidClientWithImsDescription() {
		Map<String, String> form = this.client.validTokenForm();
		form.put("client_secret", "wrong");
		HttpResponse<String> response = this.client.postToken(form);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body())
			.isEqualTo("{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret parameter\"}");
	}

	@Test
	void unknownClientIdIsAnInvalidClient() {
		Map<String, String> form = this.client.validTokenForm();
		form.put("client_id", "unknown");
		HttpResponse<String> response = this.client.postToken(form);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body())
			.isEqualTo("{\"error\":\"invalid_client\",\"error_description\":\"invalid client_id parameter\"}");
	}

	@Test
	void invalidClientCanBeAnsweredWith401LikeOlderImsDocumentation() {
		this.emulator.variants().invalidClientStatus(401);
		Map<String, String> form = this.client.validTokenForm();
		form.put("client_secret", "wrong");
		HttpResponse<String> response = this.client.postToken(form);
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(EmulatorClient.json(response).get("error").asString()).isEqualTo("invalid_client");
	}

	@Test
	void eitherSecretOfARotatingCredentialIsAccepted() {
		Map<String, String> form = this.client.validTokenForm();
		form.put("client_secret", OTHER_SECRET);
		assertThat(this.client.postToken(form).statusCode()).isEqualTo(200);
		assertThat(this.client.postToken(this.client.validTokenForm()).statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "grant_type", "client_id", "client_secret", "scope" })
	void missingParameterIsAnInvalidRequest(String parameter) {
		Map<String, String> form = this.client.validTokenForm();
		form.remove(parameter);
		HttpResponse<String> response = this.client.postToken(form);
		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode body = EmulatorClient.json(response);
		assertThat(body.get("error").asString()).isEqualTo("invalid_request");
		assertThat(body.get("error_description").asString()).isEqualTo("missing " + parameter + " parameter");
	}

	@Test
	void grantTypeOtherThanClientCredentialsIsUnsupported() {
		Map<String, String> form = this.client.validTokenForm();
		form.put("grant_type", "authorization_code");
		HttpResponse<String> response = this.client.postToken(form);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).get("error").asString()).isEqualTo("unsupported_grant_type");
	}

	@Test
	void subsetOfTheCredentialScopesIsAccepted() {
		Map<String, String> form = this.client.validTokenForm();
		form.put("scope", "openid, AdobeID");
		assertThat(this.client.postToken(form).statusCode()).isEqualTo(200);
		assertThat(this.emulator.recorder().tokenRequests().get(0).scopes()).containsExactly("openid", "AdobeID");
	}

	@Test
	void scopeOutsideTheCredentialIsAnInvalidScope() {
		Map<String, String> form = this.client.validTokenForm();
		form.put("scope", "openid,AdobeID,admin");
		HttpResponse<String> response = this.client.postToken(form);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).get("error").asString()).isEqualTo("invalid_scope");
	}

	@Test
	void spaceSeparatedScopesAreAnInvalidScopeBecauseImsSeparatesWithCommas() {
		Map<String, String> form = this.client.validTokenForm();
		form.put("scope", "openid AdobeID");
		HttpResponse<String> response = this.client.postToken(form);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).get("error").asString()).isEqualTo("invalid_scope");
	}

	@Test
	void jsonBodyIsAnInvalidRequest() {
		HttpResponse<String> response = this.client.postJson(this.emulator.tokenUri(), "{\"grant_type\":\"x\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(EmulatorClient.json(response).get("error").asString()).isEqualTo("invalid_request");
	}

	@Test
	void getIsNotAllowed() {
		HttpResponse<String> response = this.client
			.send(HttpRequest.newBuilder(URI.create(this.emulator.tokenUri())).GET());
		assertThat(response.statusCode()).isEqualTo(405);
	}

	@Test
	void tokenRequestsAreRecordedWithoutTheSecret() {
		this.client.fetchToken();
		Map<String, String> form = this.client.validTokenForm();
		form.put("client_secret", "wrong-secret-value");
		this.client.postToken(form);
		assertThat(this.emulator.recorder().tokenRequests()).extracting(RecordedTokenRequest::outcome)
			.containsExactly("issued", "invalid_client");
		assertThat(this.emulator.recorder().tokenRequests().toString()).doesNotContain("wrong-secret-value")
			.doesNotContain(this.emulator.clientSecret());
		assertThat(this.emulator.recorder().issuedTokenCount()).isEqualTo(1);
		assertThat(this.emulator.recorder().tokenRequestCount()).isEqualTo(2);
	}

	@Test
	void tokenLifetimeIsConfigurableAndAnnouncedOneSecondShort() {
		try (AepEmulator shortLived = AepEmulator.builder().tokenLifetime(Duration.ofSeconds(30)).build().start()) {
			HttpResponse<String> response = new EmulatorClient(shortLived)
				.postToken(new EmulatorClient(shortLived).validTokenForm());
			assertThat(EmulatorClient.json(response).get("expires_in").asLong()).isEqualTo(29);
		}
	}

	@Test
	void oneSecondTokenLifetimeIsAnnouncedAsOneSecond() {
		try (AepEmulator shortLived = AepEmulator.builder().tokenLifetime(Duration.ofSeconds(1)).build().start()) {
			HttpResponse<String> response = new EmulatorClient(shortLived)
				.postToken(new EmulatorClient(shortLived).validTokenForm());
			assertThat(EmulatorClient.json(response).get("expires_in").asLong()).isEqualTo(1);
		}
	}

	private static String decode(String part) {
		return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
	}

}
