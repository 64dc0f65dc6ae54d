package dev.aepstreaming.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidAepStreamingConfigurationException} at startup, listing each
 * property to set or correct.
 *
 * @author aep-streaming
 */
class InvalidAepStreamingConfigurationFailureAnalyzer
		extends AbstractFailureAnalyzer<InvalidAepStreamingConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidAepStreamingConfigurationException cause) {
		StringBuilder description = new StringBuilder("The AEP streaming configuration is incomplete or unsafe:");
		for (String problem : cause.getProblems()) {
			description.append(System.lineSeparator()).append("    - ").append(problem);
		}
		String action = "Set or correct the properties listed above (for example in application.yml), supply them "
				+ "through an AepStreamingConnectionDetails bean, or set aep.streaming.enabled=false to switch "
				+ "streaming off. The values are found on the streaming connection (connection id, flow id) and on "
				+ "the OAuth Server-to-Server credential in Adobe Developer Console (client id, client secret, "
				+ "organization id, scopes).";
		return new FailureAnalysis(description.toString(), action, cause);
	}

}
