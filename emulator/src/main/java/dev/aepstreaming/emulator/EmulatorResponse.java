package dev.aepstreaming.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A response computed by a handler, written to the connection by {@link EmulatorServer}.
 *
 * @param status the HTTP status
 * @param headers the response headers other than {@code Content-Length}
 * @param body the body
 * @author aep-streaming
 */
record EmulatorResponse(int status, Map<String, String> headers, byte[] body) {

	private static final String JSON = "application/json;charset=utf-8";

	static EmulatorResponse json(int status, JsonNode body) {
		return new EmulatorResponse(status, Map.of("Content-Type", JSON), Json.bytes(body));
	}

	static EmulatorResponse empty(int status) {
		return new EmulatorResponse(status, Map.of(), new byte[0]);
	}

	EmulatorResponse withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new EmulatorResponse(this.status, headers, this.body);
	}

}
