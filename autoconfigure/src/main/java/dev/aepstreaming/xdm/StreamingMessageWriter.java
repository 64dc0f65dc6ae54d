package dev.aepstreaming.xdm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.PayloadTooLargeException;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingValidationException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Turns {@link StreamingMessage messages} into the JSON bodies of AEP's streaming
 * endpoints, completing {@code xdmEntity} messages into XDM envelopes and refusing
 * requests over AEP's size limit before they are sent.
 * <p>
 * AEP's XDM envelope requires {@code header.schemaRef}, {@code header.imsOrgId},
 * {@code header.datasetId}, {@code header.flowId}, {@code body.xdmMeta.schemaRef} equal
 * to the header's, and {@code body.xdmEntity}; {@code header.source.name} is optional.
 *
 * @author aep-streaming
 */
public final class StreamingMessageWriter {

	/**
	 * The largest request body AEP accepts, for both the single and the batch endpoint.
	 * Adobe documents "1 MB"; the decimal reading is the safe one.
	 */
	public static final int MAX_REQUEST_BYTES = 1_000_000;

	private static final byte[] BATCH_PREFIX = "{\"messages\":[".getBytes();

	private static final byte[] BATCH_SUFFIX = "]}".getBytes();

	private final JsonMapper jsonMapper;

	private final XdmEnvelopeSettings settings;

	private final Map<String, Object> header;

	private final Map<String, Object> xdmMeta;

	/**
	 * Create a new writer.
	 * @param jsonMapper the mapper that serializes entities and envelopes
	 * @param settings what completes an {@code xdmEntity} into an envelope
	 */
	public StreamingMessageWriter(JsonMapper jsonMapper, XdmEnvelopeSettings settings) {
		Assert.notNull(jsonMapper, "'jsonMapper' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		this.jsonMapper = jsonMapper;
		this.settings = settings;
		Map<String, Object> schemaRef = new LinkedHashMap<>();
		schemaRef.put("id", settings.schemaId());
		schemaRef.put("contentType", settings.schemaContentType());
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("schemaRef", schemaRef);
		header.put("imsOrgId", settings.imsOrgId());
		header.put("datasetId", settings.datasetId());
		header.put("flowId", settings.flowId());
		if (StringUtils.hasText(settings.sourceName())) {
			header.put("source", Map.of("name", settings.sourceName()));
		}
		this.header = Collections.unmodifiableMap(header);
		this.xdmMeta = Map.of("schemaRef", schemaRef);
	}

	/**
	 * Write the body of a single send.
	 * @param message the message
	 * @return the JSON body
	 * @throws StreamingValidationException if the message cannot be turned into JSON or
	 * its envelope cannot be completed
	 * @throws PayloadTooLargeException if the body exceeds {@link #MAX_REQUEST_BYTES}
	 */
	public byte[] write(StreamingMessage message) {
		byte[] body = toJson(message);
		assertWithinLimit(body.length, "The message");
		return body;
	}

	/**
	 * Write the body of a batch send, {@code {"messages":[…]}}.
	 * @param messages the messages, at least one
	 * @return the JSON body
	 * @throws StreamingValidationException if a message cannot be turned into JSON
	 * @throws PayloadTooLargeException if the body exceeds {@link #MAX_REQUEST_BYTES}
	 */
	public byte[] writeBatch(List<StreamingMessage> messages) {
		Assert.notEmpty(messages, "'messages' must not be empty");
		List<byte[]> parts = new ArrayList<>(messages.size());
		for (StreamingMessage message : messages) {
			parts.add(toJson(message));
		}
		return joinBatch(parts);
	}

	/**
	 * Write one message as it would stand inside a batch.
	 * @param message the message
	 * @return the message's JSON
	 */
	public byte[] toJson(StreamingMessage message) {
		Assert.notNull(message, "'message' must not be null");
		return switch (message.getKind()) {
			case XDM_ENTITY -> serialize(envelopeOf(message.getPayload()), message);
			case ENVELOPE -> serialize(message.getPayload(), message);
			case RAW -> rawJson(message);
		};
	}

	/**
	 * Join messages already written with {@link #toJson(StreamingMessage)} into a batch
	 * body.
	 * @param messages the messages' JSON
	 * @return the batch body
	 * @throws PayloadTooLargeException if the body exceeds {@link #MAX_REQUEST_BYTES}
	 */
	public static byte[] joinBatch(List<byte[]> messages) {
		int size = batchSize(messages);
		assertWithinLimit(size, "The batch of " + messages.size() + " messages");
		ByteArrayOutputStream body = new ByteArrayOutputStream(size);
		body.writeBytes(BATCH_PREFIX);
		for (int i = 0; i < messages.size(); i++) {
			if (i > 0) {
				body.write(',');
			}
			body.writeBytes(messages.get(i));
		}
		body.writeBytes(BATCH_SUFFIX);
		return body.toByteArray();
	}

	/**
	 * Return the size of a batch body made of messages of the given sizes.
	 * @param messages the messages' JSON
	 * @return the body size in bytes
	 */
	public static int batchSize(List<byte[]> messages) {
		int size = BATCH_PREFIX.length + BATCH_SUFFIX.length + Math.max(0, messages.size() - 1);
		for (byte[] message : messages) {
			size += message.length;
		}
		return size;
	}

	private Map<String, Object> envelopeOf(Object xdmEntity) {
		assertJsonObject(xdmEntity);
		List<String> missing = new ArrayList<>();
		addIfBlank(missing, this.settings.schemaId(), "aep.streaming.xdm.schema-id");
		addIfBlank(missing, this.settings.datasetId(), "aep.streaming.xdm.dataset-id");
		addIfBlank(missing, this.settings.imsOrgId(), "aep.streaming.ims.org-id");
		addIfBlank(missing, this.settings.flowId(), "aep.streaming.flow-id");
		if (!missing.isEmpty()) {
			throw new StreamingValidationException("An xdmEntity cannot be completed into an XDM envelope: set "
					+ String.join(", ", missing) + ", or send a whole envelope with StreamingMessage.envelope(…)", 0,
					null, null);
		}
		Map<String, Object> body = new LinkedHashMap<>(4);
		body.put("xdmMeta", this.xdmMeta);
		body.put("xdmEntity", xdmEntity);
		Map<String, Object> envelope = new LinkedHashMap<>(4);
		envelope.put("header", this.header);
		envelope.put("body", body);
		return envelope;
	}

	private byte[] rawJson(StreamingMessage message) {
		if (message.getPayload() instanceof String text) {
			if (!StringUtils.hasText(text)) {
				throw new StreamingValidationException("The raw message is empty. Pass JSON text, a Map, a POJO or a "
						+ "Jackson tree to StreamingMessage.raw(…)", 0, null, null);
			}
			try {
				return serialize(this.jsonMapper.readTree(text), message);
			}
			catch (JacksonException ex) {
				throw new StreamingValidationException("The raw message is not valid JSON: " + ex.getOriginalMessage()
						+ ". Pass JSON text, a Map, " + "a POJO or a Jackson tree to StreamingMessage.raw(…)", 0, null,
						ex);
			}
		}
		return serialize(message.getPayload(), message);
	}

	private byte[] serialize(Object value, StreamingMessage message) {
		try {
			return this.jsonMapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new StreamingValidationException(
					"Could not write the " + message.getKind() + " message of type "
							+ message.getPayload().getClass().getName() + " as JSON: " + ex.getOriginalMessage(),
					0, null, ex);
		}
	}

	/**
	 * An {@code xdmEntity} is a JSON object in AEP's envelope; a string, number or array
	 * there is a mistake that AEP would refuse, most often JSON text passed where an
	 * object was expected.
	 */
	private static void assertJsonObject(Object xdmEntity) {
		boolean notAnObject = (xdmEntity instanceof JsonNode node) ? !node.isObject()
				: xdmEntity instanceof CharSequence || xdmEntity instanceof Number || xdmEntity instanceof Boolean
						|| xdmEntity instanceof Character || xdmEntity instanceof Iterable<?>
						|| xdmEntity.getClass().isArray();
		if (notAnObject) {
			throw new StreamingValidationException("An xdmEntity must be a JSON object, but a "
					+ xdmEntity.getClass().getSimpleName() + " was given. Send a POJO, a Map or a Jackson ObjectNode; "
					+ "for JSON text use StreamingMessage.raw(…) or parse it first", 0, null, null);
		}
	}

	private static void assertWithinLimit(long size, String what) {
		if (size > MAX_REQUEST_BYTES) {
			throw new PayloadTooLargeException(what + " is " + size + " bytes, over AEP's limit of " + MAX_REQUEST_BYTES
					+ " bytes per request. Send smaller events (Adobe recommends records of at "
					+ "most 10 KB) or fewer per batch.", 0, size, MAX_REQUEST_BYTES);
		}
	}

	private static void addIfBlank(List<String> missing, String value, String property) {
		if (!StringUtils.hasText(value)) {
			missing.add(property);
		}
	}

}
