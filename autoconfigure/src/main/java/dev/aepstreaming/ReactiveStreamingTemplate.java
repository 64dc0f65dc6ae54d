package dev.aepstreaming;

import java.util.ArrayList;
import java.util.List;

import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * The reactive entry point for streaming events to AEP, in the manner of Spring's
 * {@code WebClient}: every method returns a cold {@link Mono}.
 * <p>
 * Messages are serialized when the {@code Mono} is subscribed to, through the Jackson
 * {@code JsonMapper} that Spring Boot configures; a message that cannot be serialized, or
 * a request over AEP's 1 MB limit, fails without being sent.
 *
 * @author aep-streaming
 */
public class ReactiveStreamingTemplate implements ReactiveStreamingOperations {

	private final StreamingHttpClient client;

	private final StreamingMessageWriter writer;

	private final boolean syncValidation;

	/**
	 * Create a new template.
	 * @param client the client of the streaming connection
	 * @param writer what turns messages into request bodies
	 * @param syncValidation whether single sends ask for synchronous validation unless
	 * the message says otherwise
	 */
	public ReactiveStreamingTemplate(StreamingHttpClient client, StreamingMessageWriter writer,
			boolean syncValidation) {
		Assert.notNull(client, "'client' must not be null");
		Assert.notNull(writer, "'writer' must not be null");
		this.client = client;
		this.writer = writer;
		this.syncValidation = syncValidation;
	}

	@Override
	public Mono<StreamingResult> send(Object xdmEntity) {
		Assert.notNull(xdmEntity, "'xdmEntity' must not be null");
		return send((xdmEntity instanceof StreamingMessage message) ? message : StreamingMessage.xdm(xdmEntity));
	}

	@Override
	public Mono<StreamingResult> send(StreamingMessage message) {
		Assert.notNull(message, "'message' must not be null");
		return Mono.fromCallable(() -> this.writer.write(message))
			.flatMap((body) -> this.client.send(body, isSyncValidation(message)));
	}

	@Override
	public Mono<BatchResult> sendBatch(List<?> messages) {
		Assert.notEmpty(messages, "'messages' must not be empty");
		Assert.noNullElements(messages, "'messages' must not contain null elements");
		List<StreamingMessage> batch = new ArrayList<>(messages.size());
		for (Object element : messages) {
			batch.add((element instanceof StreamingMessage message) ? message : StreamingMessage.xdm(element));
		}
		return Mono.fromCallable(() -> this.writer.writeBatch(batch))
			.flatMap((body) -> this.client.sendBatch(body, batch.size()));
	}

	private boolean isSyncValidation(StreamingMessage message) {
		Boolean requested = message.getSyncValidation();
		return (requested != null) ? requested : this.syncValidation;
	}

	@Override
	public String toString() {
		return "ReactiveStreamingTemplate[connectionId=" + this.client.getConnectionId() + "]";
	}

}
