package dev.aepstreaming.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.BatchMessageResult;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.PayloadTooLargeException;
import dev.aepstreaming.StreamingAuthenticationException;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingShutdownException;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;

/**
 * Gathers single sends into requests to AEP's batch endpoint: a batch is sent once it
 * holds {@code maxMessages} messages or its first message has waited {@code linger}, and
 * is split so that no request exceeds {@code maxBytes}. Each caller hears of its own
 * message: AEP's {@code 207} reports one result per message, in order; an accepted
 * message completes its caller, a message that failed for a retryable reason (a rate
 * limit or a server error) is sent again alone, and any other failure fails its caller
 * with AEP's explanation.
 *
 * @author aep-streaming
 */
final class AutoBatcher {

	private final BiFunction<byte[], Integer, Mono<BatchResult>> sender;

	private final Function<OutgoingMessage, Mono<StreamingResult>> resendAlone;

	private final int maxBytes;

	private final Sinks.Many<Entry> entries = Sinks.many().unicast().onBackpressureBuffer();

	private final Disposable pipeline;

	/**
	 * Create a new batcher.
	 * @param sender sends one batch request body holding the given number of messages,
	 * with retries
	 * @param resendAlone sends a message alone, with retries
	 * @param maxMessages the most messages in one batch
	 * @param maxBytes the largest request body
	 * @param linger how long the first message of a batch waits for others
	 * @param maxConcurrentBatches the most batch requests in flight
	 */
	AutoBatcher(BiFunction<byte[], Integer, Mono<BatchResult>> sender,
			Function<OutgoingMessage, Mono<StreamingResult>> resendAlone, int maxMessages, int maxBytes,
			Duration linger, int maxConcurrentBatches) {
		this.sender = sender;
		this.resendAlone = resendAlone;
		this.maxBytes = maxBytes;
		this.pipeline = this.entries.asFlux()
			.bufferTimeout(maxMessages, linger, true)
			.concatMapIterable(this::splitBySize)
			.flatMap(this::sendBatch, maxConcurrentBatches)
			.subscribe();
	}

	/**
	 * Queue a message for the next batch.
	 * @param message the message
	 * @return its own result, once its batch has been answered
	 */
	Mono<StreamingResult> submit(OutgoingMessage message) {
		return Mono.create((sink) -> {
			Sinks.EmitResult result;
			synchronized (this.entries) {
				result = this.entries.tryEmitNext(new Entry(message, sink));
			}
			if (result.isFailure()) {
				sink.error(new StreamingShutdownException(
						"Event " + message.eventId() + " was not queued for batching: the batcher is closed", null));
			}
		});
	}

	/**
	 * Stop taking messages and send those queued at once, without waiting for the linger
	 * time.
	 */
	void close() {
		synchronized (this.entries) {
			this.entries.tryEmitComplete();
		}
	}

	/**
	 * Stop sending batches; messages still queued are not sent.
	 */
	void dispose() {
		this.pipeline.dispose();
	}

	private List<List<Entry>> splitBySize(List<Entry> batch) {
		List<List<Entry>> requests = new ArrayList<>();
		List<Entry> current = new ArrayList<>();
		int size = StreamingMessageWriter.batchSize(List.of());
		for (Entry entry : batch) {
			int added = entry.message.json().length + (current.isEmpty() ? 0 : 1);
			if (!current.isEmpty() && size + added > this.maxBytes) {
				requests.add(current);
				current = new ArrayList<>();
				size = StreamingMessageWriter.batchSize(List.of());
				added = entry.message.json().length;
			}
			current.add(entry);
			size += added;
		}
		if (!current.isEmpty()) {
			requests.add(current);
		}
		return requests;
	}

	private Mono<Void> sendBatch(List<Entry> batch) {
		List<byte[]> messages = batch.stream().map((entry) -> entry.message.json()).toList();
		return Mono.fromCallable(() -> StreamingMessageWriter.joinBatch(messages))
			.flatMap((body) -> this.sender.apply(body, batch.size()))
			.doOnNext((result) -> distribute(batch, result))
			.doOnError((ex) -> batch.forEach((entry) -> entry.sink.error(ex)))
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	private void distribute(List<Entry> batch, BatchResult result) {
		for (int i = 0; i < batch.size(); i++) {
			Entry entry = batch.get(i);
			BatchMessageResult outcome = result.results().get(i);
			if (outcome.isSuccess()) {
				entry.sink.success(new StreamingResult(outcome.statusCode(), result.inletId(), outcome.xactionId(),
						result.receivedTimeMs(), true));
			}
			else if (outcome.isRetryable()) {
				this.resendAlone.apply(entry.message).subscribe(entry.sink::success, entry.sink::error);
			}
			else {
				entry.sink.error(refusal(entry.message, outcome));
			}
		}
	}

	private AepStreamingException refusal(OutgoingMessage message, BatchMessageResult outcome) {
		String text = "AEP refused event " + message.eventId() + " of a batch (" + outcome.statusCode() + "): "
				+ outcome.errorMessage();
		return switch (outcome.statusCode()) {
			case 400 -> new StreamingValidationException(text + ". Fix the event, or the schema and dataset settings.",
					400, outcome.errorMessage(), null);
			case 401, 403 -> new StreamingAuthenticationException(text, outcome.statusCode(), null);
			case 413 -> new PayloadTooLargeException(text, 413, message.json().length,
					StreamingMessageWriter.MAX_REQUEST_BYTES);
			default -> new AepStreamingException(text, outcome.statusCode(), null, null);
		};
	}

	private record Entry(OutgoingMessage message, MonoSink<StreamingResult> sink) {

	}

}
