package dev.aepstreaming;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.util.Assert;

/**
 * The entry point for streaming events to AEP from blocking code, in the manner of
 * Spring's {@code RestTemplate} ({@code send} waits for AEP's answer) and
 * {@code KafkaTemplate} ({@code sendAsync} returns a {@link CompletableFuture}).
 * <pre class="code">
 * StreamingResult result = streamingTemplate.send(Map.of("_id", id, "timestamp", now,
 *         "eventType", "web.webpagedetails.pageViews"));
 * </pre> Failures are {@link AepStreamingException}s: thrown by the blocking methods,
 * completing the futures exceptionally for the asynchronous ones.
 * <p>
 * Note: the blocking methods must not be called on a reactive event-loop thread; use
 * {@link #reactive()} there.
 *
 * @author aep-streaming
 */
public class StreamingTemplate implements StreamingOperations {

	private final ReactiveStreamingOperations reactive;

	/**
	 * Create a new template.
	 * @param reactive the reactive operations that do the work
	 */
	public StreamingTemplate(ReactiveStreamingOperations reactive) {
		Assert.notNull(reactive, "'reactive' must not be null");
		this.reactive = reactive;
	}

	@Override
	public StreamingResult send(Object xdmEntity) {
		return this.reactive.send(xdmEntity).block();
	}

	@Override
	public StreamingResult send(StreamingMessage message) {
		return this.reactive.send(message).block();
	}

	@Override
	public CompletableFuture<StreamingResult> sendAsync(Object xdmEntity) {
		return this.reactive.send(xdmEntity).toFuture();
	}

	@Override
	public CompletableFuture<StreamingResult> sendAsync(StreamingMessage message) {
		return this.reactive.send(message).toFuture();
	}

	@Override
	public BatchResult sendBatch(List<?> messages) {
		return this.reactive.sendBatch(messages).block();
	}

	@Override
	public CompletableFuture<BatchResult> sendBatchAsync(List<?> messages) {
		return this.reactive.sendBatch(messages).toFuture();
	}

	/**
	 * Return the reactive operations behind this template.
	 * @return the reactive operations
	 */
	public ReactiveStreamingOperations reactive() {
		return this.reactive;
	}

}
