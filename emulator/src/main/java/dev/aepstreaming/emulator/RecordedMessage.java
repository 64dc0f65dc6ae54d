package dev.aepstreaming.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A message that the emulated streaming endpoint accepted.
 *
 * @param connectionId the connection id of the request path
 * @param batch whether the message arrived in a batch request
 * @param headers the request headers with lower-case names, without {@code Authorization}
 * @param body the message, for a batch the single element of {@code messages}
 * @param xactionId the transaction id that the response reported for the message
 * @param receivedAt when the emulator received the request, by its clock
 * @author aep-streaming
 */
public record RecordedMessage(String connectionId, boolean batch, Map<String, List<String>> headers, JsonNode body,
		String xactionId, Instant receivedAt) {

	/**
	 * Return the first value of a header.
	 * @param name the header name, in any case
	 * @return the value, or {@code null} if the header was absent
	 */
	public String header(String name) {
		List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

}
