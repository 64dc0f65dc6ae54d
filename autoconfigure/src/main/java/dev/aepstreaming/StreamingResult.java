package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

/**
 * AEP's acknowledgement of one message sent to {@code /collection/{connectionId}}.
 *
 * @param statusCode the HTTP status AEP answered ({@code 200})
 * @param inletId the id of the streaming connection that received the message
 * @param xactionId AEP's transaction id for the message, to quote in support requests
 * @param receivedTimeMs when AEP received the message, in milliseconds since the epoch
 * @param syncValidationSkipped whether AEP skipped synchronous validation, which it does
 * for every send that did not ask for it
 * @author aep-streaming
 */
public record StreamingResult(int statusCode, @Nullable String inletId, @Nullable String xactionId, long receivedTimeMs,
		boolean syncValidationSkipped) {

}
