package dev.aepstreaming.emulator;

import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The emulated streaming endpoints of the Data Collection Core Service: {@code POST
 * /collection/{connectionId}} for one message and {@code POST
 * /collection/batch/{connectionId}} for {@code {"messages":[…]}}.
 * <p>
 * A request passes these checks in order; the first failure answers:
 * <ol>
 * <li>On an authenticated connection, a valid bearer token: a missing, malformed, foreign
 * (bad signature), expired or revoked token is answered with AEP's 401 authorization
 * problem, whose {@code status} is the string {@code "401"} (switchable to 403, see
 * {@link EmulatorVariants#rejectedTokenStatus(int)}). An {@code x-api-key} other than the
 * token's client id, or an {@code x-gw-ims-org-id} other than its organization, gets the
 * same answer: AEP documents no distinct error for them, and both are credential mistakes
 * that retrying cannot fix. A missing {@code x-sandbox-name} is a 400.</li>
 * <li>{@code Content-Type: application/json}, else {@code 415}. AEP also accepts
 * {@code application/x-jackson-smile}, which the emulator does not decode.</li>
 * <li>At most 1,000,000 bytes of body (AEP's "1 MB", taken as decimal megabytes), else
 * {@code 413}.</li>
 * <li>Well-formed JSON, else {@code 400}.</li>
 * <li>A valid message per {@link XdmValidator}, else {@code 400} "Invalid XDM Message
 * Format" for a single message, or a failed entry in the batch's {@code 207}.</li>
 * </ol>
 * A single message is answered {@code 200 {"inletId","xactionId","receivedTimeMs"}} with
 * {@code "syncValidation":{"skipped":true}} as in asynchronous mode; with
 * {@code syncValidation=true} (or the {@code synchronousValidation=true} spelling of some
 * pages) it is validated more strictly, limited to 60 requests per minute per connection,
 * and answered with {@code "syncValidation":{"status":"pass"}}, or {@code 501} where
 * {@link EmulatorVariants#syncValidationSupported(boolean) unsupported}. A batch is
 * always answered {@code 207} once parsed, with one entry per message in order.
 *
 * @author aep-streaming
 */
final class StreamingHandler {

	private static final Log logger = LogFactory.getLog(StreamingHandler.class);

	private final Set<String> unauthenticatedConnections;

	private final TokenIssuer issuer;

	private final EmulatorRecorder recorder;

	private final EmulatorVariants variants;

	private final SyncValidationLimiter syncValidationLimiter;

	private final AtomicLong transactions = new AtomicLong();

	private final int node = (int) (UUID.randomUUID().getLeastSignificantBits() & 0x3ff);

	StreamingHandler(Set<String> unauthenticatedConnections, TokenIssuer issuer, EmulatorRecorder recorder,
			EmulatorVariants variants, SyncValidationLimiter syncValidationLimiter) {
		this.unauthenticatedConnections = unauthenticatedConnections;
		this.issuer = issuer;
		this.recorder = recorder;
		this.variants = variants;
		this.syncValidationLimiter = syncValidationLimiter;
	}

	EmulatorResponse handle(EmulatorRequest request, EmulatorEndpoint endpoint, String connectionId) {
		if (!"POST".equals(request.method())) {
			return reject(request, endpoint,
					EmulatorResponse
						.json(405, Problems.inlet(405, "Method Not Allowed", "Only POST is supported", null))
						.withHeader("Allow", "POST"));
		}
		String expectedOrgId = null;
		if (!this.unauthenticatedConnections.contains(connectionId)) {
			TokenVerification verification = verifyAuthorization(request.header("Authorization"));
			EmulatorResponse failure = checkAuthentication(request, verification);
			if (failure != null) {
				return reject(request, endpoint, failure);
			}
			expectedOrgId = verification.orgId();
		}
		EmulatorResponse failure = checkContent(request);
		if (failure != null) {
			return reject(request, endpoint, failure);
		}
		JsonNode content;
		try {
			content = Json.parse(request.body());
		}
		catch (JacksonException | Json.IllegalJsonException ex) {
			return reject(request, endpoint, EmulatorResponse.json(400,
					Problems.inlet(400, "Invalid JSON", "The request body is not valid JSON", null)));
		}
		return (endpoint == EmulatorEndpoint.BATCH) ? handleBatch(request, connectionId, content, expectedOrgId)
				: handleSingle(request, connectionId, content, expectedOrgId);
	}

	private EmulatorResponse handleSingle(EmulatorRequest request, String connectionId, JsonNode message,
			String expectedOrgId) {
		boolean sync = isSyncValidation(request);
		if (sync && !this.variants.syncValidationSupported()) {
			return reject(request, EmulatorEndpoint.SINGLE, EmulatorResponse.json(501, Problems.inlet(501,
					"Not Implemented", "Synchronous validation is not supported in this region", null)));
		}
		if (sync && !this.syncValidationLimiter.tryAcquire(connectionId)) {
			return reject(request, EmulatorEndpoint.SINGLE, EmulatorResponse.json(429, Problems.inlet(429,
					"Too Many Requests", "Synchronous validation is limited to 60 requests per minute", null)));
		}
		XdmValidator.Violation violation = XdmValidator.validate(message, flowId(request), sync, expectedOrgId);
		if (violation != null) {
			return reject(request, EmulatorEndpoint.SINGLE, EmulatorResponse.json(400,
					Problems.inlet(400, "Invalid XDM Message Format", violation.message(), violation.cause())));
		}
		String xactionId = accept(request, connectionId, false, message);
		ObjectNode body = Json.object();
		body.put("inletId", connectionId);
		body.put("xactionId", xactionId);
		body.put("receivedTimeMs", request.receivedAt().toEpochMilli());
		if (sync) {
			body.putObject("syncValidation").put("status", "pass");
		}
		else {
			body.putObject("syncValidation").put("skipped", true);
		}
		return EmulatorResponse.json(200, body);
	}

	private EmulatorResponse handleBatch(EmulatorRequest request, String connectionId, JsonNode content,
			String expectedOrgId) {
		JsonNode messages = content.path("messages");
		if (!messages.isArray() || messages.isEmpty()) {
			return reject(request, EmulatorEndpoint.BATCH, EmulatorResponse.json(400, Problems.inlet(400,
					"Invalid Batch Format", "A batch must be an object with a non-empty messages array", null)));
		}
		String flowId = flowId(request);
		String statusField = this.variants.batchStatusField().jsonName();
		ObjectNode body = Json.object();
		body.put("inletId", connectionId);
		body.put("batchId", UUID.randomUUID().toString());
		body.put("receivedTimeMs", request.receivedAt().toEpochMilli());
		ArrayNode responses = body.putArray("responses");
		for (JsonNode message : messages) {
			XdmValidator.Violation violation = XdmValidator.validate(message, flowId, false, expectedOrgId);
			if (violation == null) {
				responses.addObject().put("xactionId", accept(request, connectionId, true, message));
			}
			else {
				ObjectNode entry = responses.addObject();
				entry.put(statusField, 400);
				entry.put("message", "inletId: [" + connectionId + "] " + violation.message());
				this.recorder.recordRejection(new RecordedRejection(EmulatorEndpoint.BATCH, request.path(), 400,
						violation.message(), request.receivedAt()));
			}
		}
		return EmulatorResponse.json(207, body);
	}

	private EmulatorResponse checkAuthentication(EmulatorRequest request, TokenVerification verification) {
		int status = this.variants.rejectedTokenStatus();
		if (!verification.isValid()) {
			return unauthorized(status, verification.outcome().message());
		}
		if (!verification.clientId().equals(request.header("x-api-key"))) {
			return unauthorized(status, "x-api-key header does not match the client id of the token");
		}
		if (!verification.orgId().equals(request.header("x-gw-ims-org-id"))) {
			return unauthorized(status, "x-gw-ims-org-id header does not match the organization of the token");
		}
		String sandbox = request.header("x-sandbox-name");
		if (sandbox == null || sandbox.isBlank()) {
			return EmulatorResponse.json(400,
					Problems.inlet(400, "Missing Required Header", "Missing x-sandbox-name header", null));
		}
		return null;
	}

	private EmulatorResponse unauthorized(int status, String message) {
		String requestId = UUID.randomUUID().toString();
		return EmulatorResponse.json(status, Problems.authorization(status, "[" + requestId + "] " + message));
	}

	private EmulatorResponse checkContent(EmulatorRequest request) {
		String contentType = request.header("Content-Type");
		String mediaType = (contentType != null) ? contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT) : "";
		if (!"application/json".equals(mediaType)) {
			return EmulatorResponse.json(415, Problems.inlet(415, "Unsupported Media Type",
					"Content-Type must be application/json, not '" + mediaType + "'", null));
		}
		if (request.tooLarge()) {
			return EmulatorResponse.json(413,
					Problems.inlet(413, "Payload Too Large", "The request body is larger than 1 MB", null));
		}
		return null;
	}

	private String accept(EmulatorRequest request, String connectionId, boolean batch, JsonNode message) {
		long receivedTimeMs = request.receivedAt().toEpochMilli();
		String xactionId = receivedTimeMs + ":" + this.transactions.incrementAndGet() + ":" + this.node;
		this.recorder.recordMessage(() -> new RecordedMessage(connectionId, batch, request.recordableHeaders(), message,
				xactionId, request.receivedAt()));
		return xactionId;
	}

	private EmulatorResponse reject(EmulatorRequest request, EmulatorEndpoint endpoint, EmulatorResponse response) {
		String reason = rejectionReason(response);
		this.recorder.recordRejection(
				new RecordedRejection(endpoint, request.path(), response.status(), reason, request.receivedAt()));
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected a request to " + request.path() + " with " + response.status() + ": " + reason);
		}
		return response;
	}

	private static String rejectionReason(EmulatorResponse response) {
		try {
			JsonNode body = Json.parse(response.body());
			return body.path("report").path("message").asString(body.path("title").asString(""));
		}
		catch (RuntimeException ex) {
			return "HTTP " + response.status();
		}
	}

	private static boolean isSyncValidation(EmulatorRequest request) {
		return "true".equalsIgnoreCase(request.queryParameter("syncValidation"))
				|| "true".equalsIgnoreCase(request.queryParameter("synchronousValidation"));
	}

	private static String flowId(EmulatorRequest request) {
		String flowId = request.header("x-adobe-flow-id");
		if (flowId == null || flowId.isBlank()) {
			flowId = request.queryParameter("flowId");
		}
		return (flowId == null || flowId.isBlank()) ? null : flowId;
	}

	private TokenVerification verifyAuthorization(String authorization) {
		if (authorization == null || authorization.isBlank()) {
			return TokenVerification.failure(TokenVerification.Outcome.MISSING);
		}
		if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return TokenVerification.failure(TokenVerification.Outcome.MALFORMED);
		}
		return this.issuer.verify(authorization.substring(7).trim());
	}

}
