package dev.aepstreaming.emulator;

/**
 * The emulated endpoints that faults can target.
 *
 * @author aep-streaming
 */
public enum EmulatorEndpoint {

	/**
	 * The IMS token endpoint, {@code POST /ims/token/v3} and {@code /ims/token/v2}.
	 */
	TOKEN("token"),

	/**
	 * The single-message streaming endpoint, {@code POST /collection/{connectionId}}.
	 */
	SINGLE("single"),

	/**
	 * The batch streaming endpoint, {@code POST /collection/batch/{connectionId}}.
	 */
	BATCH("batch");

	private final String jsonName;

	EmulatorEndpoint(String jsonName) {
		this.jsonName = jsonName;
	}

	/**
	 * Return the name of the endpoint in the JSON of the control endpoints.
	 * @return the JSON name
	 */
	public String jsonName() {
		return this.jsonName;
	}

	static EmulatorEndpoint fromJsonName(String name) {
		for (EmulatorEndpoint endpoint : values()) {
			if (endpoint.jsonName.equals(name)) {
				return endpoint;
			}
		}
		throw new IllegalArgumentException("Unknown endpoint '" + name + "'");
	}

}
