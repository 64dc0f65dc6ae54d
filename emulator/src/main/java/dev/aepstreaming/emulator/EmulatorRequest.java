package dev.aepstreaming.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * A request as the handlers see it: fully received (up to the size limit) and decoupled
 * from Reactor Netty, so that each handler is a plain function from request to response.
 *
 * @param method the HTTP method
 * @param path the decoded path, without the query
 * @param query the decoded query parameters
 * @param headers the request headers
 * @param body the body, empty when absent or larger than the limit
 * @param tooLarge whether the body exceeded the size limit and was discarded
 * @param receivedAt when the request was received, by the emulator's clock
 * @author aep-streaming
 */
record EmulatorRequest(String method, String path, Map<String, List<String>> query, HttpHeaders headers, byte[] body,
		boolean tooLarge, Instant receivedAt) {

	String header(String name) {
		return this.headers.get(name);
	}

	String queryParameter(String name) {
		List<String> values = this.query.get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	/**
	 * Return the headers with lower-case names and without {@code Authorization}, safe to
	 * record.
	 * @return the recordable headers
	 */
	Map<String, List<String>> recordableHeaders() {
		Map<String, List<String>> result = new LinkedHashMap<>();
		for (String name : this.headers.names()) {
			String lowerCaseName = name.toLowerCase(Locale.ROOT);
			if (!"authorization".equals(lowerCaseName)) {
				result.put(lowerCaseName, List.copyOf(this.headers.getAll(name)));
			}
		}
		return Map.copyOf(result);
	}

}
