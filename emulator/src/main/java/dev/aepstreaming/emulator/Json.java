package dev.aepstreaming.emulator;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The single, thread-safe {@link JsonMapper} of the emulator and the few operations the
 * handlers need from it.
 *
 * @author aep-streaming
 */
final class Json {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	static byte[] bytes(JsonNode node) {
		return MAPPER.writeValueAsBytes(node);
	}

	/**
	 * Parse a complete JSON document.
	 * @param content the UTF-8 encoded document
	 * @return the tree, never a missing node
	 * @throws JacksonException if the content is empty, not JSON, or has trailing content
	 */
	static JsonNode parse(byte[] content) {
		JsonNode node = MAPPER.readTree(content);
		if (node == null || node.isMissingNode()) {
			throw new IllegalJsonException("Empty request body");
		}
		return node;
	}

	static boolean hasText(JsonNode node) {
		return node != null && node.isString() && !node.stringValue().isBlank();
	}

	/**
	 * Thrown for a body that Jackson accepts syntactically but that is not a document,
	 * such as an empty body.
	 */
	static final class IllegalJsonException extends RuntimeException {

		IllegalJsonException(String message) {
			super(message);
		}

	}

}
