package dev.aepstreaming.delivery;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.StreamingMessage;

/**
 * An event that was accepted for delivery and finally failed: AEP refused it, the retries
 * ran out, or the application shut down before it could be delivered.
 *
 * @param message the message as the caller gave it
 * @param eventId the event's {@code _id} when it has one, otherwise a sequence number
 * assigned on acceptance, for logs
 * @param connectionId the streaming connection it was meant for
 * @param reason why it failed
 * @author aep-streaming
 */
public record DeadLetter(StreamingMessage message, String eventId, String connectionId, AepStreamingException reason) {

}
