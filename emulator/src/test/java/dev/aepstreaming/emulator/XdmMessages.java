package dev.aepstreaming.emulator;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fixtures: XDM envelopes shaped as in AEP's streaming ingestion documentation.
 */
final class XdmMessages {

	static final String ORG_ID = EmulatorCredential.DEFAULT_ORG_ID;

	static final String SCHEMA_ID = "https://ns.adobe.com/emulatortenant/schemas/0123456789abcdef";

	static final String CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1";

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private XdmMessages() {
	}

	static ObjectNode valid(String id) {
		ObjectNode message = mapper.createObjectNode();
		ObjectNode header = message.putObject("header");
		schemaRef(header.putObject("schemaRef"));
		header.put("imsOrgId", ORG_ID);
		header.put("datasetId", "5e8b7c4f1a2b3c0018d1e2f3");
		header.put("flowId", "d1b2c3d4-0000-4000-8000-000000000001");
		header.putObject("source").put("name", "aep-streaming tests");
		ObjectNode body = message.putObject("body");
		schemaRef(body.putObject("xdmMeta").putObject("schemaRef"));
		ObjectNode entity = body.putObject("xdmEntity");
		entity.put("_id", id);
		entity.put("timestamp", "2025-01-01T00:00:00Z");
		return message;
	}

	static ObjectNode valid() {
		return valid("event-1");
	}

	static String json(ObjectNode node) {
		return mapper.writeValueAsString(node);
	}

	private static void schemaRef(ObjectNode schemaRef) {
		schemaRef.put("id", SCHEMA_ID);
		schemaRef.put("contentType", CONTENT_TYPE);
	}

}
