package dev.aepstreaming.emulator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The problem bodies of the Data Collection Core Service, shaped as in AEP's streaming
 * ingestion troubleshooting documentation.
 *
 * @author aep-streaming
 */
final class Problems {

	static final String AUTHORIZATION_TYPE = "https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization";

	static final String INLET_TYPE = "http://ns.adobe.com/adobecloud/problem/data-collection-service/inlet";

	private Problems() {
	}

	/**
	 * Return the body of a rejected token. AEP writes its {@code status} as a string
	 * here, unlike every other problem body, and the emulator does the same.
	 * @param status 401, or 403 as one AEP page documents
	 * @param message the report message
	 * @return the body
	 */
	static ObjectNode authorization(int status, String message) {
		ObjectNode body = Json.object();
		body.put("type", AUTHORIZATION_TYPE);
		body.put("status", Integer.toString(status));
		body.put("title", "Authorization");
		body.putObject("report").put("message", message);
		return body;
	}

	static ObjectNode inlet(int status, String title, String message, JsonNode cause) {
		ObjectNode body = Json.object();
		body.put("type", INLET_TYPE);
		body.put("status", status);
		body.put("title", title);
		ObjectNode report = body.putObject("report");
		report.put("message", message);
		if (cause != null) {
			report.set("cause", cause);
		}
		return body;
	}

}
