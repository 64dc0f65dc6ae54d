package dev.aepstreaming.delivery;

import dev.aepstreaming.StreamingMessage;

/**
 * A message ready to be delivered: what the caller gave, its JSON as it goes on the wire,
 * and the options of its send.
 *
 * @param message the message as the caller gave it
 * @param json the message's JSON
 * @param syncValidation whether AEP should validate it synchronously
 * @param eventId the event's id for logs and dead letters
 * @author aep-streaming
 */
public record OutgoingMessage(StreamingMessage message, byte[] json, boolean syncValidation, String eventId) {

}
