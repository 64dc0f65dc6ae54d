package dev.aepstreaming;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Reactive operations for streaming events to an AEP streaming connection. Nothing is
 * sent until the returned {@link Mono} is subscribed to.
 *
 * @author aep-streaming
 * @see ReactiveStreamingTemplate
 */
public interface ReactiveStreamingOperations {

	/**
	 * Send one event given as its {@code xdmEntity}; the envelope is completed from the
	 * configuration.
	 * @param xdmEntity the entity: a POJO, a {@code Map} or a Jackson tree
	 * @return AEP's acknowledgement, or an {@link AepStreamingException}
	 */
	Mono<StreamingResult> send(Object xdmEntity);

	/**
	 * Send one message.
	 * @param message the message
	 * @return AEP's acknowledgement, or an {@link AepStreamingException}
	 */
	Mono<StreamingResult> send(StreamingMessage message);

	/**
	 * Send a batch in one request to AEP's batch endpoint. Each element is either a
	 * {@link StreamingMessage} or an {@code xdmEntity}.
	 * @param messages the messages, at least one
	 * @return one result per message in the given order, or an
	 * {@link AepStreamingException} when the batch as a whole failed
	 */
	Mono<BatchResult> sendBatch(List<?> messages);

}
