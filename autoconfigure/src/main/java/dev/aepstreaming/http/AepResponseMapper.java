package dev.aepstreaming.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.BatchMessageResult;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.PayloadTooLargeException;
import dev.aepstreaming.StreamingAuthenticationException;
import dev.aepstreaming.StreamingRateLimitedException;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingServerException;
import dev.aepstreaming.StreamingTransportException;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;

/**
 * Maps AEP's streaming answers to results and typed exceptions, following the shapes that
 * Adobe documents: {@code 200} with {@code inletId}, {@code xactionId} and
 * {@code receivedTimeMs} for a single message; {@code 207} with one entry per message, in
 * order, for a batch, the entry's status in {@code statusCode} or, as Adobe's own code
 * also sees, {@code status}; problem documents with a {@code report.message} for errors.
 *
 * @author aep-streaming
 */
final class AepResponseMapper {

	private static final int MAX_REPORT_LENGTH = 2000;

	private final JsonMapper jsonMapper;

	private final String connectionId;

	private final String sandboxName;

	private final Clock clock;

	AepResponseMapper(JsonMapper jsonMapper, String connectionId, String sandboxName, Clock clock) {
		this.jsonMapper = jsonMapper;
		this.connectionId = connectionId;
		this.sandboxName = sandboxName;
		this.clock = clock;
	}

	StreamingResult toStreamingResult(int status, HttpHeaders headers, byte[] body) {
		if (status != 200 && status != 201 && status != 202) {
			throw toException(status, headers, body);
		}
		JsonNode json = readOrNull(body);
		if (json == null) {
			return new StreamingResult(status, null, null, 0, true);
		}
		// AEP answers a validated message with "syncValidation":{"status":"pass"},
		// without "skipped"
		JsonNode syncValidation = json.path("syncValidation");
		boolean skipped = !syncValidation.isObject() || syncValidation.path("skipped").asBoolean(false);
		return new StreamingResult(status, inletId(json), textOrNull(json.get("xactionId")),
				json.path("receivedTimeMs").asLong(0), skipped);
	}

	BatchResult toBatchResult(int status, HttpHeaders headers, byte[] body, int messageCount) {
		if (status < 200 || status >= 300) {
			throw toException(status, headers, body);
		}
		JsonNode json = readOrNull(body);
		if (json == null || !json.path("responses").isArray()) {
			throw new StreamingTransportException("AEP answered " + status + " to a batch of " + messageCount
					+ " messages on connection '" + this.connectionId + "' without a 'responses' array, so which "
					+ "messages were accepted is unknown: " + abbreviate(body), false, null);
		}
		JsonNode responses = json.get("responses");
		List<BatchMessageResult> results = new ArrayList<>(messageCount);
		for (int i = 0; i < messageCount; i++) {
			results.add((i < responses.size()) ? toMessageResult(i, responses.get(i))
					: new BatchMessageResult(i, 0, null, "AEP's answer has " + responses.size()
							+ " results for a batch of " + messageCount + " messages; none for this one"));
		}
		return new BatchResult(status, inletId(json), textOrNull(json.get("batchId")),
				json.path("receivedTimeMs").asLong(0), results);
	}

	private BatchMessageResult toMessageResult(int index, JsonNode entry) {
		JsonNode statusNode = entry.has("statusCode") ? entry.get("statusCode") : entry.get("status");
		int status = (statusNode != null) ? statusNode.asInt(0) : 200;
		if (statusNode != null && status == 0) {
			return new BatchMessageResult(index, 0, textOrNull(entry.get("xactionId")),
					"AEP reported an unknown status '" + statusNode.asString() + "' for this message");
		}
		String message = (status >= 200 && status < 300) ? null : messageOf(entry);
		return new BatchMessageResult(index, status, textOrNull(entry.get("xactionId")), message);
	}

	AepStreamingException toException(int status, HttpHeaders headers, byte[] body) {
		String report = reportMessage(body);
		String suffix = (report != null) ? ": " + report : "";
		Duration retryAfter = RetryAfter.parse(headers.getFirst(HttpHeaders.RETRY_AFTER), this.clock);
		String text = (body.length > 0) ? new String(body, StandardCharsets.UTF_8) : null;
		return switch (status) {
			case 400 -> new StreamingValidationException(
					"AEP refused the message as invalid (400)" + suffix
							+ ". Fix the event, or the schema and dataset settings (aep.streaming.xdm.*).",
					400, text, null);
			case 401, 403 -> new StreamingAuthenticationException("AEP refused the credentials for connection '"
					+ this.connectionId + "' in sandbox '" + this.sandboxName + "' (" + status + ")" + suffix
					+ ". Check that the IMS credential (aep.streaming.ims.*) belongs to the organization and has "
					+ "access to the sandbox, that aep.streaming.authenticated matches the connection"
					+ ((status == 403) ? ", and that this host is allow-listed" : "") + ".", status, null);
			case 413 -> new PayloadTooLargeException(
					"AEP refused the request as too large (413)" + suffix + ". AEP accepts at most 1 MB per request.",
					413, -1, StreamingMessageWriter.MAX_REQUEST_BYTES);
			case 429 -> new StreamingRateLimitedException("AEP is rate limiting connection '" + this.connectionId
					+ "' (429)" + suffix + ". Slow down, or send batches rather than single messages.", retryAfter);
			case 501 -> new StreamingServerException(
					"AEP does not support synchronous validation here (501)" + suffix
							+ ". Set aep.streaming.sync-validation=false and send without withSyncValidation(true).",
					501, retryAfter);
			default -> (status >= 500)
					? new StreamingServerException(
							"AEP failed to process the request (" + status + ")" + suffix + ". Try again later.",
							status, retryAfter)
					: new AepStreamingException("AEP answered with unexpected status " + status + suffix + ".", status,
							retryAfter, null);
		};
	}

	@Nullable private String reportMessage(byte[] body) {
		JsonNode json = readOrNull(body);
		if (json == null) {
			return (body.length > 0) ? abbreviate(body) : null;
		}
		String message = messageOf(json);
		String title = textOrNull(json.get("title"));
		if (title != null && message != null && !message.equals(title)) {
			return abbreviate(title + ": " + message);
		}
		return abbreviate((message != null) ? message : (title != null) ? title : json.toString());
	}

	@Nullable private String messageOf(JsonNode json) {
		String message = textOrNull(json.path("report").get("message"));
		if (message == null) {
			message = textOrNull(json.get("message"));
		}
		if (message == null) {
			message = textOrNull(json.get("detail"));
		}
		return message;
	}

	@Nullable private JsonNode readOrNull(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			JsonNode json = this.jsonMapper.readTree(body);
			return (json != null && json.isObject()) ? json : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	@Nullable private static String inletId(JsonNode json) {
		String inletId = textOrNull(json.get("inletId"));
		return (inletId != null) ? inletId : textOrNull(json.get("inletID"));
	}

	@Nullable private static String textOrNull(@Nullable JsonNode node) {
		return (node != null && !node.isNull() && !node.isMissingNode()) ? node.asString() : null;
	}

	private static String abbreviate(byte[] body) {
		return abbreviate(new String(body, StandardCharsets.UTF_8));
	}

	private static String abbreviate(String text) {
		String singleLine = text.replaceAll("\\s+", " ").trim();
		return (singleLine.length() <= MAX_REPORT_LENGTH) ? singleLine
				: singleLine.substring(0, MAX_REPORT_LENGTH) + "…";
	}

}
