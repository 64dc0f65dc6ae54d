package dev.aepstreaming.emulator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a streaming message against the XDM envelope that AEP's streaming ingestion
 * documentation specifies: {@code header.schemaRef}, {@code header.imsOrgId},
 * {@code header.datasetId}, {@code header.flowId}, {@code body.xdmMeta.schemaRef} equal
 * to the header's, and {@code body.xdmEntity} are required; {@code header.source.name} is
 * optional.
 * <p>
 * A JSON object with a {@code header} or {@code body} field is taken for an XDM message.
 * Anything else is raw data, which AEP accepts only on an HTTP API dataflow, identified
 * by an {@code x-adobe-flow-id} header or {@code flowId} query parameter; without one it
 * answers "Message has unknown xdm format".
 * <p>
 * Synchronous validation ({@code syncValidation=true}) stands in for AEP's schema check,
 * which the emulator cannot do without the schema: it additionally requires an
 * {@code imsOrgId} ending in {@code @AdobeOrg} and equal to the token's organization on
 * an authenticated connection, and a non-empty {@code xdmEntity} object.
 *
 * @author aep-streaming
 */
final class XdmValidator {

	private XdmValidator() {
	}

	/**
	 * Validate one message.
	 * @param message the message
	 * @param flowId the flow id of the request, or {@code null}
	 * @param sync whether the stricter synchronous validation applies
	 * @param expectedOrgId the organization the message must name under synchronous
	 * validation, or {@code null} on an unauthenticated connection
	 * @return the violation, or {@code null} if the message is valid
	 */
	static Violation validate(JsonNode message, String flowId, boolean sync, String expectedOrgId) {
		if (!isEnvelope(message)) {
			return (flowId != null) ? null
					: new Violation("Message has unknown xdm format: expected an XDM envelope with header and body, "
							+ "or an x-adobe-flow-id header for raw data", null);
		}
		Violation violation = validateHeader(message.path("header"));
		if (violation == null) {
			violation = validateBody(message.path("header").path("schemaRef"), message.path("body"));
		}
		if (violation == null && sync) {
			violation = validateSynchronously(message, expectedOrgId);
		}
		return violation;
	}

	private static boolean isEnvelope(JsonNode message) {
		return message.isObject() && (message.has("header") || message.has("body"));
	}

	private static Violation validateHeader(JsonNode header) {
		if (!header.isObject()) {
			return missing("header");
		}
		JsonNode schemaRef = header.path("schemaRef");
		if (!schemaRef.isObject() || !Json.hasText(schemaRef.get("id"))) {
			return missing("header.schemaRef");
		}
		for (String field : new String[] { "imsOrgId", "datasetId", "flowId" }) {
			if (!Json.hasText(header.get(field))) {
				return missing("header." + field);
			}
		}
		return null;
	}

	private static Violation validateBody(JsonNode headerSchemaRef, JsonNode body) {
		if (!body.isObject()) {
			return missing("body");
		}
		JsonNode schemaRef = body.path("xdmMeta").path("schemaRef");
		if (!schemaRef.isObject()) {
			return missing("body.xdmMeta.schemaRef");
		}
		if (!schemaRef.equals(headerSchemaRef)) {
			return new Violation("body.xdmMeta.schemaRef does not match header.schemaRef",
					cause("body.xdmMeta.schemaRef", "mismatch"));
		}
		if (!body.path("xdmEntity").isObject()) {
			return missing("body.xdmEntity");
		}
		return null;
	}

	private static Violation validateSynchronously(JsonNode message, String expectedOrgId) {
		String imsOrgId = message.path("header").path("imsOrgId").stringValue();
		if (!imsOrgId.endsWith("@AdobeOrg")) {
			return new Violation("header.imsOrgId is not an IMS organization id", cause("header.imsOrgId", "invalid"));
		}
		if (expectedOrgId != null && !expectedOrgId.equals(imsOrgId)) {
			return new Violation("header.imsOrgId does not match the organization of the token",
					cause("header.imsOrgId", "mismatch"));
		}
		if (message.path("body").path("xdmEntity").isEmpty()) {
			return new Violation("body.xdmEntity must not be empty", cause("body.xdmEntity", "empty"));
		}
		return null;
	}

	private static Violation missing(String field) {
		return new Violation("Missing required field " + field, cause(field, "missing"));
	}

	private static ObjectNode cause(String field, String reason) {
		ObjectNode cause = Json.object();
		cause.put("field", field);
		cause.put("reason", reason);
		return cause;
	}

	/**
	 * Why a message is invalid.
	 *
	 * @param message the report message
	 * @param cause the report cause, or {@code null}
	 */
	record Violation(String message, ObjectNode cause) {

	}

}
