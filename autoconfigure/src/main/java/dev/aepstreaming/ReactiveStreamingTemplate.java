package dev.aepstreaming;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.delivery.EventIds;
import dev.aepstreaming.delivery.LoggingDeadLetterHandler;
import dev.aepstreaming.delivery.OutgoingMessage;
import dev.aepstreaming.delivery.ResilientExchange;
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
 * a request over AEP's 1 MB limit, fails without being sent and without being accepted.
 * Accepted messages are handed to the {@link DeliveryEngine}, which retries, limits and
 * batches them and makes sure each ends acknowledged or in the dead-letter handler.
 *
 * @author aep-streaming
 */
public class ReactiveStreamingTemplate implements ReactiveStreamingOperations {

	private final DeliveryEngine deliveryEngine;

	private final StreamingMessageWriter writer;

	private final boolean syncValidation;

	private final AtomicLong sequence = new AtomicLong();

	/**
	 * Create a new template that delivers through the given engine.
	 * @param deliveryEngine the engine that delivers accepted messages
	 * @param writer what turns messages into request bodies
	 * @param syncValidation whether single sends ask for synchronous validation unless
	 * the message says otherwise
	 */
	public ReactiveStreamingTemplate(DeliveryEngine deliveryEngine, StreamingMessageWriter writer,
			boolean syncValidation) {
		Assert.notNull(deliveryEngine, "'deliveryEngine' must not be null");
		Assert.notNull(writer, "'writer' must not be null");
		this.deliveryEngine = deliveryEngine;
		this.writer = writer;
		this.syncValidation = syncValidation;
	}

	/**
	 * Create a new template that sends each message once, without retries, circuit
	 * breaking, rate limiting or batching, and logs the messages that fail.
	 * @param client the client of the streaming connection
	 * @param writer what turns messages into request bodies
	 * @param syncValidation whether single sends ask for synchronous validation unless
	 * the message says otherwise
	 */
	public ReactiveStreamingTemplate(StreamingHttpClient client, StreamingMessageWriter writer,
			boolean syncValidation) {
		this(new DeliveryEngine(client,
				new ResilientExchange(client.getConnectionId(), null, null, null, Integer.MAX_VALUE, Duration.ofDays(1),
						Clock.systemUTC()),
				new LoggingDeadLetterHandler(), Integer.MAX_VALUE, Duration.ZERO, null), writer, syncValidation);
	}

	@Override
	public Mono<StreamingResult> send(Object xdmEntity) {
		Assert.notNull(xdmEntity, "'xdmEntity' must not be null");
		return send((xdmEntity instanceof StreamingMessage message) ? message : StreamingMessage.xdm(xdmEntity));
	}

	@Override
	public Mono<StreamingResult> send(StreamingMessage message) {
		Assert.notNull(message, "'message' must not be null");
		return Mono.fromCallable(() -> outgoing(message, isSyncValidation(message))).flatMap(this.deliveryEngine::send);
	}

	@Override
	public Mono<BatchResult> sendBatch(List<?> messages) {
		Assert.notEmpty(messages, "'messages' must not be empty");
		Assert.noNullElements(messages, "'messages' must not contain null elements");
		List<StreamingMessage> batch = new ArrayList<>(messages.size());
		for (Object element : messages) {
			batch.add((element instanceof StreamingMessage message) ? message : StreamingMessage.xdm(element));
		}
		return Mono.fromCallable(() -> {
			List<OutgoingMessage> outgoing = new ArrayList<>(batch.size());
			for (StreamingMessage message : batch) {
				outgoing.add(new OutgoingMessage(message, this.writer.toJson(message), false,
						EventIds.of(message, this.sequence.incrementAndGet())));
			}
			return outgoing;
		}).flatMap(this.deliveryEngine::sendBatch);
	}

	/**
	 * Return the engine that delivers this template's messages.
	 * @return the delivery engine
	 */
	public DeliveryEngine getDeliveryEngine() {
		return this.deliveryEngine;
	}

	private OutgoingMessage outgoing(StreamingMessage message, boolean syncValidation) {
		return new OutgoingMessage(message, this.writer.write(message), syncValidation,
				EventIds.of(message, this.sequence.incrementAndGet()));
	}

	private boolean isSyncValidation(StreamingMessage message) {
		Boolean requested = message.getSyncValidation();
		return (requested != null) ? requested : this.syncValidation;
	}

	@Override
	public String toString() {
		return "ReactiveStreamingTemplate[connectionId=" + this.deliveryEngine.getConnectionId() + "]";
	}

}
