package dev.aepstreaming.delivery;

import java.util.Map;

import dev.aepstreaming.StreamingMessage;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Names an event in logs and dead letters by its XDM {@code _id} when it has one that can
 * be read without serializing it, and by a sequence number otherwise. Never reads more of
 * the payload than that.
 *
 * @author aep-streaming
 */
public final class EventIds {

	private EventIds() {
	}

	/**
	 * Return the id of an event.
	 * @param message the message
	 * @param sequence the number to fall back to
	 * @return the event's {@code _id}, or {@code #sequence}
	 */
	public static String of(StreamingMessage message, long sequence) {
		Object entity = switch (message.getKind()) {
			case XDM_ENTITY -> message.getPayload();
			case ENVELOPE -> child(child(message.getPayload(), "body"), "xdmEntity");
			case RAW -> null;
		};
		Object id = child(entity, "_id");
		return (id instanceof String || id instanceof Number) ? id.toString() : "#" + sequence;
	}

	@Nullable private static Object child(@Nullable Object parent, String name) {
		if (parent instanceof Map<?, ?> map) {
			return map.get(name);
		}
		if (parent instanceof JsonNode node) {
			JsonNode child = node.get(name);
			if (child != null && child.isValueNode()) {
				return child.asString();
			}
			return child;
		}
		return null;
	}

}
