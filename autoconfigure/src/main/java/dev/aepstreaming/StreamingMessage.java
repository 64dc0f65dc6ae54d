package dev.aepstreaming;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One message to stream, with the options of its send. Three kinds exist, one per factory
 * method:
 * <ul>
 * <li>{@link #xdm(Object)}: the caller gives the {@code xdmEntity} only (a POJO, a
 * {@code Map} or a Jackson tree) and the XDM envelope is completed from the configured
 * schema, dataset, organization and flow;</li>
 * <li>{@link #envelope(Object)}: the caller gives the whole envelope, {@code header} and
 * {@code body}, which is sent as it is;</li>
 * <li>{@link #raw(Object)}: any JSON for a non-XDM HTTP API dataflow, identified by its
 * flow id; a {@code String} is taken as JSON text and must parse.</li>
 * </ul>
 * Instances are immutable; the {@code with…} methods return a copy.
 *
 * @author aep-streaming
 */
public final class StreamingMessage {

	private final Kind kind;

	private final Object payload;

	@Nullable private final Boolean syncValidation;

	private StreamingMessage(Kind kind, Object payload, @Nullable Boolean syncValidation) {
		this.kind = kind;
		this.payload = payload;
		this.syncValidation = syncValidation;
	}

	/**
	 * Create a message from an {@code xdmEntity}; the envelope is completed from the
	 * configuration.
	 * @param xdmEntity the entity: a POJO, a {@code Map} or a Jackson tree
	 * @return the message
	 */
	public static StreamingMessage xdm(Object xdmEntity) {
		Assert.notNull(xdmEntity, "'xdmEntity' must not be null");
		return new StreamingMessage(Kind.XDM_ENTITY, xdmEntity, null);
	}

	/**
	 * Create a message from a complete XDM envelope, sent as it is.
	 * @param envelope the envelope with its {@code header} and {@code body}
	 * @return the message
	 */
	public static StreamingMessage envelope(Object envelope) {
		Assert.notNull(envelope, "'envelope' must not be null");
		return new StreamingMessage(Kind.ENVELOPE, envelope, null);
	}

	/**
	 * Create a message of raw JSON for a non-XDM HTTP API dataflow.
	 * @param json the JSON: a {@code String} of JSON text, a {@code Map}, a POJO or a
	 * Jackson tree
	 * @return the message
	 */
	public static StreamingMessage raw(Object json) {
		Assert.notNull(json, "'json' must not be null");
		return new StreamingMessage(Kind.RAW, json, null);
	}

	/**
	 * Return a copy of this message that asks AEP to validate it synchronously (or not),
	 * whatever {@code aep.streaming.sync-validation} says. AEP limits synchronous
	 * validation to 60 requests per minute per connection and supports it on single sends
	 * only.
	 * @param syncValidation whether to validate synchronously
	 * @return the copy
	 */
	public StreamingMessage withSyncValidation(boolean syncValidation) {
		return new StreamingMessage(this.kind, this.payload, syncValidation);
	}

	/**
	 * Return the kind of this message.
	 * @return the kind
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * Return what the caller gave: the entity, the envelope or the raw JSON.
	 * @return the payload
	 */
	public Object getPayload() {
		return this.payload;
	}

	/**
	 * Return whether this message asks for synchronous validation.
	 * @return {@code true} or {@code false} when set on the message, {@code null} to
	 * follow the configuration
	 */
	@Nullable public Boolean getSyncValidation() {
		return this.syncValidation;
	}

	@Override
	public String toString() {
		return "StreamingMessage[kind=" + this.kind + ", payloadType=" + this.payload.getClass().getName() + "]";
	}

	/**
	 * The kinds of message.
	 */
	public enum Kind {

		/**
		 * An {@code xdmEntity} whose envelope is completed from the configuration.
		 */
		XDM_ENTITY,

		/**
		 * A complete XDM envelope.
		 */
		ENVELOPE,

		/**
		 * Raw JSON for a non-XDM HTTP API dataflow.
		 */
		RAW

	}

}
