package dev.aepstreaming.emulator;

import java.time.Instant;

/**
 * A request, or a message of a batch, that the emulator did not accept: a validation or
 * authorization failure, or an injected fault.
 *
 * @param endpoint the endpoint that received it
 * @param path the request path
 * @param status the HTTP status answered (for a batch message, the status of its entry in
 * the 207 response), {@code 0} for a dropped connection
 * @param reason a human-readable reason, never containing a secret or token
 * @param receivedAt when the emulator received the request, by its clock
 * @author aep-streaming
 */
public record RecordedRejection(EmulatorEndpoint endpoint, String path, int status, String reason, Instant receivedAt) {

}
