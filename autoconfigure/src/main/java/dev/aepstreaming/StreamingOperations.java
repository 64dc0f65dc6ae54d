package dev.aepstreaming;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Blocking and asynchronous operations for streaming events to an AEP streaming
 * connection.
 *
 * @author aep-streaming
 * @see StreamingTemplate
 */
public interface StreamingOperations {

	/**
	 * Send one event given as its {@code xdmEntity} and wait for AEP's answer.
	 * @param xdmEntity the entity: a POJO, a {@code Map} or a Jackson tree
	 * @return AEP's acknowledgement
	 * @throws AepStreamingException if the event was not accepted
	 */
	StreamingResult send(Object xdmEntity);

	/**
	 * Send one message and wait for AEP's answer.
	 * @param message the message
	 * @return AEP's acknowledgement
	 * @throws AepStreamingException if the message was not accepted
	 */
	StreamingResult send(StreamingMessage message);

	/**
	 * Send one event given as its {@code xdmEntity} without waiting.
	 * @param xdmEntity the entity: a POJO, a {@code Map} or a Jackson tree
	 * @return a future completed with AEP's acknowledgement, or exceptionally with an
	 * {@link AepStreamingException}
	 */
	CompletableFuture<StreamingResult> sendAsync(Object xdmEntity);

	/**
	 * Send one message without waiting.
	 * @param message the message
	 * @return a future completed with AEP's acknowledgement, or exceptionally with an
	 * {@link AepStreamingException}
	 */
	CompletableFuture<StreamingResult> sendAsync(StreamingMessage message);

	/**
	 * Send a batch in one request and wait for AEP's answer. Each element is either a
	 * {@link StreamingMessage} or an {@code xdmEntity}.
	 * @param messages the messages, at least one
	 * @return one result per message in the given order
	 * @throws AepStreamingException if the batch as a whole failed
	 */
	BatchResult sendBatch(List<?> messages);

	/**
	 * Send a batch in one request without waiting.
	 * @param messages the messages, at least one
	 * @return a future completed with one result per message in the given order
	 */
	CompletableFuture<BatchResult> sendBatchAsync(List<?> messages);

}
