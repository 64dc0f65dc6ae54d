package dev.aepstreaming.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small {@link HttpClient} wrapper for the contract tests: form and JSON requests
 * against a running emulator, with the headers AEP requires filled in by default.
 */
final class EmulatorClient {

	static final String SANDBOX = "prod";

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final AepEmulator emulator;

	EmulatorClient(AepEmulator emulator) {
		this.emulator = emulator;
	}

	static JsonNode json(HttpResponse<String> response) {
		return mapper.readTree(response.body());
	}

	static JsonNode json(String content) {
		return mapper.readTree(content);
	}

	static String form(Map<String, String> parameters) {
		return parameters.entrySet()
			.stream()
			.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
			.collect(Collectors.joining("&"));
	}

	static String basic(String clientId, String clientSecret) {
		String credentials = encode(clientId) + ":" + encode(clientSecret);
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	Map<String, String> validTokenForm() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "client_credentials");
		form.put("client_id", this.emulator.clientId());
		form.put("client_secret", this.emulator.clientSecret());
		form.put("scope", this.emulator.credential().scopeParameter());
		return form;
	}

	HttpResponse<String> postToken(Map<String, String> form, String... headers) {
		return send(HttpRequest.newBuilder(URI.create(this.emulator.tokenUri()))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(form))), headers);
	}

	String fetchToken() {
		HttpResponse<String> response = postToken(validTokenForm());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Token request failed: " + response.statusCode() + " " + response.body());
		}
		return json(response).get("access_token").asString();
	}

	/**
	 * Return the headers of an authenticated streaming request with the given token.
	 * @param token the access token
	 * @return the header names and values, alternating
	 */
	String[] streamingHeaders(String token) {
		return new String[] { "Authorization", "Bearer " + token, "x-api-key", this.emulator.clientId(),
				"x-gw-ims-org-id", this.emulator.orgId(), "x-sandbox-name", SANDBOX };
	}

	HttpResponse<String> postSingle(String connectionId, String body, String... headers) {
		return postJson(this.emulator.collectionUri(connectionId), body, headers);
	}

	HttpResponse<String> postBatch(String connectionId, String body, String... headers) {
		return postJson(this.emulator.batchUri(connectionId), body, headers);
	}

	HttpResponse<String> postJson(String uri, String body, String... headers) {
		return send(HttpRequest.newBuilder(URI.create(uri))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)), headers);
	}

	HttpResponse<String> request(String method, String path, String body) {
		HttpRequest.BodyPublisher publisher = (body != null) ? HttpRequest.BodyPublishers.ofString(body)
				: HttpRequest.BodyPublishers.noBody();
		return send(HttpRequest.newBuilder(URI.create(this.emulator.baseUrl() + path))
			.header("Content-Type", "application/json")
			.method(method, publisher));
	}

	HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return sendChecked(request.timeout(Duration.ofSeconds(10)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	HttpResponse<String> sendChecked(HttpRequest.Builder request) throws IOException {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
