package dev.aepstreaming.emulator;

import java.time.Instant;
import java.util.List;

/**
 * A request to the emulated IMS token endpoint. The client secret is never recorded.
 *
 * @param clientId the client id as sent, or {@code null} if missing
 * @param scopes the requested scopes, split at commas
 * @param outcome {@code issued}, or the IMS error code such as {@code invalid_client}, or
 * the injected fault such as {@code fault_503}
 * @param status the HTTP status of the response, {@code 0} for a dropped connection
 * @param receivedAt when the emulator received the request, by its clock
 * @author aep-streaming
 */
public record RecordedTokenRequest(String clientId, List<String> scopes, String outcome, int status,
		Instant receivedAt) {

	/**
	 * Return whether a token was issued.
	 * @return whether the request succeeded
	 */
	public boolean issued() {
		return "issued".equals(this.outcome);
	}

}
