package dev.aepstreaming.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The control endpoints under {@code /emulator}, documented on {@link AepEmulator}: JSON
 * in and out, so that tests in any language, or a person with curl, can inject faults
 * into a standalone emulator and read what it recorded.
 *
 * @author aep-streaming
 */
final class ControlHandler {

	private static final int DEFAULT_LIST_LIMIT = 100;

	private final AepEmulator emulator;

	ControlHandler(AepEmulator emulator) {
		this.emulator = emulator;
	}

	EmulatorResponse handle(EmulatorRequest request) {
		try {
			return route(request);
		}
		catch (JacksonException | Json.IllegalJsonException ex) {
			return error(400, "The request body is not valid JSON");
		}
		catch (IllegalArgumentException | IllegalStateException | ArithmeticException ex) {
			return error(400, ex.getMessage());
		}
	}

	private EmulatorResponse route(EmulatorRequest request) {
		String method = request.method();
		return switch (request.path()) {
			case "/emulator" -> get(method, this::info);
			case "/emulator/reset" -> post(method, () -> {
				this.emulator.reset();
				return info();
			});
			case "/emulator/faults" -> switch (method) {
				case "GET" -> ok(faults());
				case "PUT", "POST" -> {
					applyFaults(body(request));
					yield ok(faults());
				}
				case "DELETE" -> {
					this.emulator.faults().reset();
					yield ok(faults());
				}
				default -> notAllowed("GET, PUT, POST, DELETE");
			};
			case "/emulator/faults/reset" -> post(method, () -> {
				this.emulator.faults().reset();
				return faults();
			});
			case "/emulator/faults/token-outage" -> switch (method) {
				case "PUT", "POST" -> {
					applyTokenOutage(body(request));
					yield ok(faults());
				}
				case "DELETE" -> {
					this.emulator.faults().clearTokenOutage();
					yield ok(faults());
				}
				default -> notAllowed("PUT, POST, DELETE");
			};
			case "/emulator/tokens/revoke" -> post(method, () -> {
				ObjectNode body = Json.object();
				body.put("revocationEpoch", this.emulator.revokeAllTokens());
				return body;
			});
			case "/emulator/variants" -> switch (method) {
				case "GET" -> ok(variants());
				case "PUT", "POST" -> {
					applyVariants(body(request));
					yield ok(variants());
				}
				default -> notAllowed("GET, PUT, POST");
			};
			case "/emulator/recorder" -> switch (method) {
				case "GET" -> ok(recorderSummary());
				case "DELETE" -> {
					this.emulator.recorder().reset();
					yield ok(recorderSummary());
				}
				default -> notAllowed("GET, DELETE");
			};
			case "/emulator/recorder/reset" -> post(method, () -> {
				this.emulator.recorder().reset();
				return recorderSummary();
			});
			case "/emulator/recorder/messages" ->
				get(method, () -> list(this.emulator.recorder().messages(), request, ControlHandler::message));
			case "/emulator/recorder/token-requests" -> get(method,
					() -> list(this.emulator.recorder().tokenRequests(), request, ControlHandler::tokenRequest));
			case "/emulator/recorder/rejections" ->
				get(method, () -> list(this.emulator.recorder().rejections(), request, ControlHandler::rejection));
			default -> error(404, "No control endpoint at " + request.path());
		};
	}

	private ObjectNode info() {
		ObjectNode body = Json.object();
		body.put("baseUrl", this.emulator.baseUrl());
		body.put("tokenUri", this.emulator.tokenUri());
		body.put("clientId", this.emulator.clientId());
		body.put("orgId", this.emulator.orgId());
		body.put("scope", this.emulator.credential().scopeParameter());
		body.put("tokenLifetimeSeconds", this.emulator.tokenLifetime().toSeconds());
		return body;
	}

	private ObjectNode faults() {
		EmulatorFaults faults = this.emulator.faults();
		ObjectNode body = Json.object();
		body.put("seed", faults.seed());
		ObjectNode endpoints = body.putObject("endpoints");
		for (EmulatorEndpoint endpoint : EmulatorEndpoint.values()) {
			EndpointFaults endpointFaults = faults.get(endpoint);
			ObjectNode node = endpoints.putObject(endpoint.jsonName());
			node.put("rate429", endpointFaults.rate429());
			node.put("rate500", endpointFaults.rate500());
			node.put("rate503", endpointFaults.rate503());
			node.put("dropRate", endpointFaults.dropRate());
			node.put("retryAfterSeconds", endpointFaults.retryAfter().toSeconds());
			node.put("latencyMs", endpointFaults.latency().toMillis());
			node.put("slowRate", endpointFaults.slowRate());
			node.put("slowMs", endpointFaults.slowDelay().toMillis());
		}
		faults.tokenOutage().ifPresentOrElse((outage) -> {
			ObjectNode node = body.putObject("tokenOutage");
			node.put("startMs", outage.start().toEpochMilli());
			node.put("endMs", outage.end().toEpochMilli());
			node.put("mode", outage.mode().name().toLowerCase(Locale.ROOT));
		}, () -> body.putNull("tokenOutage"));
		return body;
	}

	private void applyFaults(JsonNode body) {
		EmulatorFaults faults = this.emulator.faults();
		Map<EmulatorEndpoint, EndpointFaults> changes = new EnumMap<>(EmulatorEndpoint.class);
		for (Map.Entry<String, JsonNode> entry : body.path("endpoints").properties()) {
			EmulatorEndpoint endpoint = EmulatorEndpoint.fromJsonName(entry.getKey());
			changes.put(endpoint, endpointFaults(faults.get(endpoint), entry.getValue()));
		}
		if (body.has("seed")) {
			faults.seed(body.get("seed").asLong());
		}
		changes.forEach(faults::set);
		if (body.has("tokenOutage")) {
			if (body.get("tokenOutage").isNull()) {
				faults.clearTokenOutage();
			}
			else {
				applyTokenOutage(body.get("tokenOutage"));
			}
		}
	}

	private static EndpointFaults endpointFaults(EndpointFaults current, JsonNode node) {
		return new EndpointFaults(node.path("rate429").asDouble(current.rate429()),
				node.path("rate500").asDouble(current.rate500()), node.path("rate503").asDouble(current.rate503()),
				node.path("dropRate").asDouble(current.dropRate()),
				Duration.ofSeconds(node.path("retryAfterSeconds").asLong(current.retryAfter().toSeconds())),
				Duration.ofMillis(node.path("latencyMs").asLong(current.latency().toMillis())),
				node.path("slowRate").asDouble(current.slowRate()),
				Duration.ofMillis(node.path("slowMs").asLong(current.slowDelay().toMillis())));
	}

	private void applyTokenOutage(JsonNode body) {
		String modeName = body.path("mode").asString("unavailable");
		EmulatorFaults.OutageMode mode = EmulatorFaults.OutageMode.valueOf(modeName.toUpperCase(Locale.ROOT));
		if (body.has("durationMs")) {
			this.emulator.faults().tokenOutage(Duration.ofMillis(body.get("durationMs").asLong()), mode);
		}
		else if (body.has("startMs") && body.has("endMs")) {
			this.emulator.faults()
				.tokenOutage(Instant.ofEpochMilli(body.get("startMs").asLong()),
						Instant.ofEpochMilli(body.get("endMs").asLong()), mode);
		}
		else {
			throw new IllegalArgumentException("A token outage needs durationMs, or startMs and endMs");
		}
	}

	private ObjectNode variants() {
		EmulatorVariants variants = this.emulator.variants();
		ObjectNode body = Json.object();
		body.put("batchStatusField", variants.batchStatusField().jsonName());
		body.put("syncValidationSupported", variants.syncValidationSupported());
		body.put("rejectedTokenStatus", variants.rejectedTokenStatus());
		body.put("invalidClientStatus", variants.invalidClientStatus());
		return body;
	}

	private void applyVariants(JsonNode body) {
		EmulatorVariants variants = this.emulator.variants();
		EmulatorVariants.BatchStatusField field = body.has("batchStatusField")
				? EmulatorVariants.BatchStatusField.fromJsonName(body.get("batchStatusField").asString())
				: variants.batchStatusField();
		int rejectedTokenStatus = body.path("rejectedTokenStatus").asInt(variants.rejectedTokenStatus());
		int invalidClientStatus = body.path("invalidClientStatus").asInt(variants.invalidClientStatus());
		if ((rejectedTokenStatus != 401 && rejectedTokenStatus != 403)
				|| (invalidClientStatus != 400 && invalidClientStatus != 401)) {
			throw new IllegalArgumentException(
					"rejectedTokenStatus must be 401 or 403, invalidClientStatus 400 or 401");
		}
		variants.batchStatusField(field)
			.rejectedTokenStatus(rejectedTokenStatus)
			.invalidClientStatus(invalidClientStatus)
			.syncValidationSupported(
					body.path("syncValidationSupported").asBoolean(variants.syncValidationSupported()));
	}

	private ObjectNode recorderSummary() {
		EmulatorRecorder recorder = this.emulator.recorder();
		ObjectNode body = Json.object();
		body.put("acceptedMessages", recorder.acceptedMessageCount());
		body.put("tokenRequests", recorder.tokenRequestCount());
		body.put("issuedTokens", recorder.issuedTokenCount());
		body.put("rejections", recorder.rejectionCount());
		body.put("capacity", recorder.capacity());
		return body;
	}

	private static <T> ArrayNode list(List<T> entries, EmulatorRequest request, Function<T, ObjectNode> mapper) {
		String limitParameter = request.queryParameter("limit");
		int limit = (limitParameter != null) ? Integer.parseInt(limitParameter) : DEFAULT_LIST_LIMIT;
		if (limit < 0) {
			throw new IllegalArgumentException("limit must not be negative");
		}
		ArrayNode array = Json.object().arrayNode();
		entries.subList(Math.max(0, entries.size() - limit), entries.size())
			.forEach((entry) -> array.add(mapper.apply(entry)));
		return array;
	}

	private static ObjectNode message(RecordedMessage message) {
		ObjectNode node = Json.object();
		node.put("connectionId", message.connectionId());
		node.put("batch", message.batch());
		node.put("xactionId", message.xactionId());
		node.put("receivedTimeMs", message.receivedAt().toEpochMilli());
		ObjectNode headers = node.putObject("headers");
		message.headers().forEach((name, values) -> values.forEach(headers.putArray(name)::add));
		node.set("body", message.body());
		return node;
	}

	private static ObjectNode tokenRequest(RecordedTokenRequest tokenRequest) {
		ObjectNode node = Json.object();
		node.put("clientId", tokenRequest.clientId());
		tokenRequest.scopes().forEach(node.putArray("scopes")::add);
		node.put("outcome", tokenRequest.outcome());
		node.put("status", tokenRequest.status());
		node.put("receivedTimeMs", tokenRequest.receivedAt().toEpochMilli());
		return node;
	}

	private static ObjectNode rejection(RecordedRejection rejection) {
		ObjectNode node = Json.object();
		node.put("endpoint", rejection.endpoint().jsonName());
		node.put("path", rejection.path());
		node.put("status", rejection.status());
		node.put("reason", rejection.reason());
		node.put("receivedTimeMs", rejection.receivedAt().toEpochMilli());
		return node;
	}

	private static JsonNode body(EmulatorRequest request) {
		JsonNode body = Json.parse(request.body());
		if (!body.isObject()) {
			throw new IllegalArgumentException("The request body must be a JSON object");
		}
		return body;
	}

	private static EmulatorResponse get(String method, Supplier<JsonNode> body) {
		return "GET".equals(method) ? ok(body.get()) : notAllowed("GET");
	}

	private static EmulatorResponse post(String method, Supplier<JsonNode> body) {
		return "POST".equals(method) ? ok(body.get()) : notAllowed("POST");
	}

	private static EmulatorResponse ok(JsonNode body) {
		return EmulatorResponse.json(200, body);
	}

	private static EmulatorResponse notAllowed(String allowed) {
		return error(405, "Method not allowed").withHeader("Allow", allowed);
	}

	private static EmulatorResponse error(int status, String message) {
		ObjectNode body = Json.object();
		body.put("error", message);
		return EmulatorResponse.json(status, body);
	}

}
