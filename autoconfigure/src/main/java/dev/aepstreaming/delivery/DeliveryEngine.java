package dev.aepstreaming.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.BatchMessageResult;
import dev.aepstreaming.BatchResult;
import dev.aepstreaming.BufferFullException;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingShutdownException;
import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.StreamingTransportException;
import dev.aepstreaming.delivery.DeliveryListener.RequestKind;
import dev.aepstreaming.http.StreamingHttpClient;
import dev.aepstreaming.observation.AepStreamingObservation;
import dev.aepstreaming.observation.DefaultStreamingSendObservationConvention;
import dev.aepstreaming.observation.StreamingSendContext;
import dev.aepstreaming.observation.StreamingSendObservationConvention;
import dev.aepstreaming.xdm.StreamingMessageWriter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.util.context.Context;

import org.springframework.core.log.LogMessage;
import org.springframework.util.Assert;

/**
 * Delivers messages to one AEP streaming connection so that none is lost and AEP is not
 * hammered:
 * <ul>
 * <li>Every attempt goes through a {@link ResilientExchange}: retries with backoff that
 * honours {@code Retry-After}, a circuit breaker, a rate limit and a cap on requests in
 * flight.</li>
 * <li>Accepted messages are held in a <b>bounded buffer</b>: once {@code bufferCapacity}
 * messages are being delivered, a further send waits up to {@code bufferMaxWait} for
 * room, then fails with a {@link BufferFullException}. Memory never grows without
 * bound.</li>
 * <li>With <b>auto-batching</b>, single sends are gathered into batch requests (see
 * {@link AutoBatcher}); a send that asks for synchronous validation is always sent alone,
 * since AEP validates single messages only.</li>
 * <li>Every accepted message ends in exactly one of two ways: its caller hears of its
 * acknowledgement, or its caller hears of its failure and the {@link DeadLetterHandler}
 * receives it. A caller that stops listening (cancels) does not stop the delivery.</li>
 * <li>{@link #shutdown(Duration)} stops accepting, flushes what is buffered, waits for it
 * within a timeout and then fails, and hands to the dead-letter handler, whatever is
 * still undelivered.</li>
 * <li>With an {@linkplain #setObservationRegistry(ObservationRegistry) observation
 * registry}, each accepted delivery is an {@link AepStreamingObservation#SEND}
 * observation from its acceptance to its end, whose parent is the observation in the
 * caller's Reactor context and which is itself in the Reactor context of the delivery's
 * requests, so that the HTTP client's observations are its children.</li>
 * </ul>
 * Note: single sends that the engine gathers into batch requests each have their own
 * observation, but the batch request they share is made outside of them, so its HTTP
 * client observation has no parent.
 *
 * @author aep-streaming
 */
public final class DeliveryEngine {

	private static final Log logger = LogFactory.getLog(DeliveryEngine.class);

	private static final DefaultStreamingSendObservationConvention DEFAULT_OBSERVATION_CONVENTION = new DefaultStreamingSendObservationConvention();

	private final StreamingHttpClient client;

	private final ResilientExchange exchange;

	private final AsyncPermits buffer;

	private final Duration bufferMaxWait;

	private final DeadLetterHandler deadLetterHandler;

	@Nullable private final AutoBatcher batcher;

	private final Set<Delivery<?>> pending = ConcurrentHashMap.newKeySet();

	private final Object drainMonitor = new Object();

	private volatile boolean accepting = true;

	private final int bufferCapacity;

	private volatile DeliveryListener[] listeners = new DeliveryListener[0];

	private Clock clock = Clock.systemUTC();

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	@Nullable private StreamingSendObservationConvention observationConvention;

	private String connectionName = StreamingTemplates.DEFAULT_CONNECTION;

	@Nullable private volatile Instant lastAcknowledged;

	/**
	 * Create a new engine.
	 * @param client the connection's client
	 * @param exchange the protection around each request
	 * @param deadLetterHandler receives every accepted message that finally failed
	 * @param bufferCapacity the most messages accepted and not yet delivered
	 * @param bufferMaxWait how long a send waits for room in a full buffer
	 * @param batching how to gather single sends into batches, or {@code null} to send
	 * each alone
	 */
	public DeliveryEngine(StreamingHttpClient client, ResilientExchange exchange, DeadLetterHandler deadLetterHandler,
			int bufferCapacity, Duration bufferMaxWait, @Nullable Batching batching) {
		Assert.notNull(client, "'client' must not be null");
		Assert.notNull(exchange, "'exchange' must not be null");
		Assert.notNull(deadLetterHandler, "'deadLetterHandler' must not be null");
		Assert.isTrue(bufferMaxWait != null && !bufferMaxWait.isNegative(), "'bufferMaxWait' must not be negative");
		this.client = client;
		this.exchange = exchange;
		this.deadLetterHandler = deadLetterHandler;
		this.buffer = new AsyncPermits(bufferCapacity);
		this.bufferCapacity = bufferCapacity;
		this.bufferMaxWait = bufferMaxWait;
		this.batcher = (batching != null) ? new AutoBatcher(this::sendBatchRequest, this::sendAlone,
				batching.maxMessages(), batching.maxBytes(), batching.linger(), batching.maxConcurrentBatches()) : null;
		if (exchange.getRetry() != null) {
			exchange.getRetry()
				.getEventPublisher()
				.onRetry((event) -> notifyListeners(
						(listener) -> listener.retrying(event.getNumberOfRetryAttempts(), event.getLastThrowable())));
		}
	}

	/**
	 * Add a listener that hears of every request and every message's end, for example to
	 * record metrics.
	 * @param listener the listener
	 */
	public synchronized void addListener(DeliveryListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		DeliveryListener[] current = this.listeners;
		DeliveryListener[] added = Arrays.copyOf(current, current.length + 1);
		added[current.length] = listener;
		this.listeners = added;
	}

	/**
	 * Set the clock that dates acknowledgements.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "'clock' must not be null");
		this.clock = clock;
	}

	/**
	 * Set the registry of the observations of deliveries. With the default,
	 * {@link ObservationRegistry#NOOP}, nothing is observed.
	 * @param observationRegistry the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Set the convention that names the observations of deliveries and decides their key
	 * values, instead of the {@link DefaultStreamingSendObservationConvention}.
	 * @param observationConvention the convention, or {@code null} for the default
	 */
	public void setObservationConvention(@Nullable StreamingSendObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Set the name of the connection in the configuration, used in observations.
	 * @param connectionName the connection name, {@code default} unless set
	 */
	public void setConnectionName(String connectionName) {
		Assert.hasText(connectionName, "'connectionName' must not be empty");
		this.connectionName = connectionName;
	}

	/**
	 * Return the name of the connection in the configuration.
	 * @return the connection name
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Deliver one message.
	 * @param message the message
	 * @return AEP's acknowledgement, or the failure after which the message went to the
	 * dead-letter handler; a {@link BufferFullException} or
	 * {@link StreamingShutdownException} when it was not accepted at all
	 */
	public Mono<StreamingResult> send(OutgoingMessage message) {
		Assert.notNull(message, "'message' must not be null");
		return Mono.defer(() -> {
			if (!this.accepting) {
				return Mono.error(notAccepting(message));
			}
			return this.buffer.acquire(this.bufferMaxWait)
				.onErrorMap(TimeoutException.class, (ex) -> bufferFull(message))
				.then(Mono.create((sink) -> start(RequestKind.SINGLE, List.of(message), sink,
						() -> (this.batcher != null && !message.syncValidation()) ? this.batcher.submit(message)
								: sendAlone(message))));
		});
	}

	/**
	 * Deliver messages as one request to the batch endpoint, retrying the request as a
	 * whole when it failed for a retryable reason. Per-message failures are in the
	 * result, for the caller to act on.
	 * @param messages the messages
	 * @return one result per message in the given order
	 */
	public Mono<BatchResult> sendBatch(List<OutgoingMessage> messages) {
		Assert.notEmpty(messages, "'messages' must not be empty");
		return Mono.defer(() -> {
			if (!this.accepting) {
				return Mono.error(notAccepting(messages.get(0)));
			}
			byte[] body = StreamingMessageWriter.joinBatch(messages.stream().map(OutgoingMessage::json).toList());
			return this.buffer.acquire(this.bufferMaxWait)
				.onErrorMap(TimeoutException.class, (ex) -> bufferFull(messages.get(0)))
				.then(Mono.create((sink) -> start(RequestKind.BATCH, messages, sink,
						() -> sendBatchRequest(body, messages.size()))));
		});
	}

	/**
	 * Return the id of the connection this engine delivers to.
	 * @return the connection id
	 */
	public String getConnectionId() {
		return this.client.getConnectionId();
	}

	/**
	 * Return the circuit breaker that guards this engine's connection.
	 * @return the circuit breaker, or {@code null} when circuit breaking is off
	 */
	public @Nullable CircuitBreaker getCircuitBreaker() {
		return this.exchange.getCircuitBreaker();
	}

	/**
	 * Return when AEP last acknowledged a message sent by this engine.
	 * @return the time of the last acknowledgement, or {@code null} before the first
	 */
	public @Nullable Instant getLastAcknowledged() {
		return this.lastAcknowledged;
	}

	/**
	 * Return how many accepted deliveries (a single message or an explicit batch) have no
	 * outcome yet. A caller that heard of its outcome never sees its delivery counted.
	 * @return the number of pending deliveries
	 */
	public int getPendingCount() {
		// A delivery leaves the pending set only after its caller is told, so that a
		// shutdown returns only once every caller knows; one whose outcome is decided is
		// not counted
		return (int) this.pending.stream().filter((delivery) -> !delivery.done.get()).count();
	}

	/**
	 * Return how many messages the buffer holds, in flight or waiting.
	 * @return the buffer's occupancy
	 */
	public int getBufferedCount() {
		return this.buffer.inUse();
	}

	/**
	 * Return the most messages the buffer holds.
	 * @return the buffer's capacity
	 */
	public int getBufferCapacity() {
		return this.bufferCapacity;
	}

	/**
	 * Return whether new messages are accepted.
	 * @return {@code false} once {@link #shutdown(Duration)} has begun
	 */
	public boolean isAccepting() {
		return this.accepting;
	}

	/**
	 * Stop accepting messages and send those gathered for a batch at once. Does not wait
	 * for them: {@link #shutdown(Duration)} does. Calling it again has no effect.
	 */
	public void stopAccepting() {
		this.accepting = false;
		if (this.batcher != null) {
			this.batcher.close();
		}
	}

	/**
	 * Stop accepting messages, flush the buffered ones and wait for them to be delivered.
	 * Those still undelivered when the timeout runs out fail with a
	 * {@link StreamingShutdownException} and go to the dead-letter handler.
	 * @param timeout how long to wait for the buffered messages
	 * @return the number of messages that could not be delivered
	 */
	public int shutdown(Duration timeout) {
		stopAccepting();
		int waiting = this.pending.size();
		if (waiting > 0) {
			logger.info(LogMessage.format("Delivering %d buffered events to connection '%s' before shutdown", waiting,
					this.client.getConnectionId()));
		}
		awaitDrained(timeout);
		int undelivered = 0;
		for (Delivery<?> delivery : this.pending) {
			if (delivery.abort(new StreamingShutdownException(
					delivery.describe() + " was not delivered to connection '" + this.client.getConnectionId()
							+ "' within the shutdown timeout of " + timeout + " (aep.streaming.shutdown.timeout)",
					null))) {
				undelivered += delivery.messages.size();
			}
		}
		if (this.batcher != null) {
			this.batcher.dispose();
		}
		if (undelivered > 0) {
			logger.warn(LogMessage
				.format("%d events to connection '%s' were not delivered before shutdown; they went to the dead-letter "
						+ "handler", undelivered, this.client.getConnectionId()));
		}
		return undelivered;
	}

	private <T> void start(RequestKind kind, List<OutgoingMessage> messages, MonoSink<T> sink, Supplier<Mono<T>> work) {
		Delivery<T> delivery = new Delivery<>(messages, sink);
		this.pending.add(delivery);
		// A send that waited for room in the buffer may get it only after shutdown began,
		// when nothing waits for or aborts it any more
		if (!this.accepting) {
			delivery.refuse(notAccepting(messages.get(0)));
			return;
		}
		Mono<T> delivering = work.get();
		if (!this.observationRegistry.isNoop()) {
			delivering = observe(delivery, kind, sink, delivering);
		}
		Disposable running = delivering.subscribe(delivery::succeed, delivery::fail);
		delivery.work = running;
		if (delivery.done.get()) {
			// Aborted by shutdown before its work was known
			running.dispose();
		}
	}

	/**
	 * Start the delivery's observation, parented on the caller's, and put it into the
	 * context of the delivery's work: the work is subscribed here, detached from the
	 * caller, so the caller's Reactor context does not reach it by itself. WebClient
	 * looks its parent observation up under {@link ObservationThreadLocalAccessor#KEY}.
	 */
	private <T> Mono<T> observe(Delivery<T> delivery, RequestKind kind, MonoSink<T> sink, Mono<T> work) {
		StreamingSendContext context = new StreamingSendContext(this.connectionName, this.client.getConnectionId(),
				kind, delivery.messages.size());
		Observation parent = sink.contextView().getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		Observation observation = AepStreamingObservation.SEND
			.observation(this.observationConvention, DEFAULT_OBSERVATION_CONVENTION, () -> context,
					this.observationRegistry)
			.parentObservation(parent)
			.start();
		delivery.observation = observation;
		return work.contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, observation));
	}

	private Mono<StreamingResult> sendAlone(OutgoingMessage message) {
		return this.exchange.execute(() -> timed(RequestKind.SINGLE, 1,
				this.client.send(message.json(), message.syncValidation()), StreamingResult::statusCode));
	}

	private Mono<BatchResult> sendBatchRequest(byte[] body, int messageCount) {
		return this.exchange.execute(() -> timed(RequestKind.BATCH, messageCount,
				this.client.sendBatch(body, messageCount), BatchResult::statusCode));
	}

	/**
	 * Report an attempt's duration and outcome to the listeners; costs nothing when there
	 * are none.
	 */
	private <T> Mono<T> timed(RequestKind kind, int messageCount, Mono<T> attempt, ToIntFunction<T> status) {
		if (this.listeners.length == 0) {
			return attempt;
		}
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return attempt.doOnSuccess((result) -> {
				Duration duration = Duration.ofNanos(System.nanoTime() - start);
				int statusCode = (result != null) ? status.applyAsInt(result) : 0;
				notifyListeners(
						(listener) -> listener.requestCompleted(kind, messageCount, duration, statusCode, null));
			}).doOnError((ex) -> {
				Duration duration = Duration.ofNanos(System.nanoTime() - start);
				AepStreamingException failure = asStreamingException(ex);
				notifyListeners((listener) -> listener.requestCompleted(kind, messageCount, duration,
						failure.getStatusCode(), failure));
			});
		});
	}

	private void notifyListeners(Consumer<DeliveryListener> call) {
		for (DeliveryListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn(LogMessage.format("Delivery listener %s failed", listener), ex);
			}
		}
	}

	private void acknowledged(Object result, int messageCount) {
		// a 207 in which AEP refused every message of an explicit batch acknowledges none
		if (!(result instanceof BatchResult batch)
				|| batch.results().stream().anyMatch(BatchMessageResult::isSuccess)) {
			this.lastAcknowledged = this.clock.instant();
		}
		if (this.listeners.length == 0) {
			return;
		}
		if (result instanceof BatchResult batch) {
			for (BatchMessageResult outcome : batch.results()) {
				notifyListeners((listener) -> listener.delivered(1, outcome.statusCode(), outcome.isSuccess()));
			}
		}
		else {
			int statusCode = statusOf(result);
			notifyListeners((listener) -> listener.delivered(messageCount, statusCode, true));
		}
	}

	private void failed(int messageCount, AepStreamingException reason) {
		if (this.listeners.length > 0) {
			notifyListeners((listener) -> listener.delivered(messageCount, reason.getStatusCode(), false));
		}
	}

	private void awaitDrained(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.drainMonitor) {
			while (!this.pending.isEmpty()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return;
				}
				try {
					this.drainMonitor.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/**
	 * Free the room a delivery held in the buffer; called before its caller is told, so
	 * that a caller who heard of the outcome never sees its message still buffered.
	 */
	private void released() {
		this.buffer.release();
	}

	/**
	 * Forget a delivery that its caller has heard of, waking a waiting shutdown.
	 */
	private void completed(Delivery<?> delivery) {
		this.pending.remove(delivery);
		if (!this.accepting) {
			synchronized (this.drainMonitor) {
				this.drainMonitor.notifyAll();
			}
		}
	}

	private void deadLetter(OutgoingMessage message, AepStreamingException reason) {
		try {
			this.deadLetterHandler
				.handle(new DeadLetter(message.message(), message.eventId(), this.client.getConnectionId(), reason));
		}
		catch (RuntimeException ex) {
			logger.error(LogMessage.format("The dead-letter handler failed on event %s", message.eventId()), ex);
		}
	}

	private StreamingShutdownException notAccepting(OutgoingMessage message) {
		return new StreamingShutdownException("Event " + message.eventId() + " was not accepted: streaming to "
				+ "connection '" + this.client.getConnectionId() + "' is shutting down", null);
	}

	private BufferFullException bufferFull(OutgoingMessage message) {
		return new BufferFullException("Event " + message.eventId() + " was not accepted: the delivery buffer of "
				+ "connection '" + this.client.getConnectionId() + "' stayed full for " + this.bufferMaxWait
				+ " (aep.streaming.buffer.capacity, aep.streaming.buffer.max-wait). AEP is slower than the producer "
				+ "or unreachable.");
	}

	private static int statusOf(@Nullable Object result) {
		if (result instanceof StreamingResult single) {
			return single.statusCode();
		}
		return (result instanceof BatchResult batch) ? batch.statusCode() : 0;
	}

	private static AepStreamingException asStreamingException(Throwable ex) {
		return (ex instanceof AepStreamingException streamingException) ? streamingException
				: new StreamingTransportException("Delivery failed unexpectedly: " + ex, false, ex);
	}

	/**
	 * How single sends are gathered into batches.
	 *
	 * @param maxMessages the most messages in one batch
	 * @param maxBytes the largest batch request body
	 * @param linger how long the first message of a batch waits for others
	 * @param maxConcurrentBatches the most batch requests in flight
	 */
	public record Batching(int maxMessages, int maxBytes, Duration linger, int maxConcurrentBatches) {

		public Batching {
			Assert.isTrue(maxMessages > 0, "'maxMessages' must be positive");
			Assert.isTrue(maxBytes > 0 && maxBytes <= StreamingMessageWriter.MAX_REQUEST_BYTES,
					"'maxBytes' must be positive and at most " + StreamingMessageWriter.MAX_REQUEST_BYTES);
			Assert.isTrue(linger != null && !linger.isNegative() && !linger.isZero(), "'linger' must be positive");
			Assert.isTrue(maxConcurrentBatches > 0, "'maxConcurrentBatches' must be positive");
		}

	}

	/**
	 * One accepted message, or one batch of them, on its way: completed exactly once, by
	 * its outcome or by shutdown. Its caller is told before the delivery leaves the
	 * pending set, so that when {@link #shutdown(Duration)} returns every caller of a
	 * delivered message has heard of it.
	 */
	private final class Delivery<T> {

		private final List<OutgoingMessage> messages;

		private final MonoSink<T> sink;

		private final AtomicBoolean done = new AtomicBoolean();

		@Nullable private volatile Disposable work;

		@Nullable private volatile Observation observation;

		Delivery(List<OutgoingMessage> messages, MonoSink<T> sink) {
			this.messages = messages;
			this.sink = sink;
		}

		String describe() {
			String first = this.messages.get(0).eventId();
			return (this.messages.size() == 1) ? "Event " + first
					: "A batch of " + this.messages.size() + " events (the first " + first + ")";
		}

		void succeed(T result) {
			if (this.done.compareAndSet(false, true)) {
				acknowledged(result, this.messages.size());
				stopObservation(statusOf(result), null);
				released();
				this.sink.success(result);
				completed(this);
			}
		}

		void fail(Throwable ex) {
			finish(asStreamingException(ex));
		}

		void refuse(StreamingShutdownException reason) {
			if (this.done.compareAndSet(false, true)) {
				released();
				this.sink.error(reason);
				completed(this);
			}
		}

		boolean abort(AepStreamingException reason) {
			Disposable running = this.work;
			boolean aborted = finish(reason);
			if (aborted && running != null) {
				running.dispose();
			}
			return aborted;
		}

		private boolean finish(AepStreamingException reason) {
			if (!this.done.compareAndSet(false, true)) {
				return false;
			}
			failed(this.messages.size(), reason);
			this.messages.forEach((message) -> deadLetter(message, reason));
			stopObservation(reason.getStatusCode(), reason);
			released();
			this.sink.error(reason);
			completed(this);
			return true;
		}

		private void stopObservation(int statusCode, @Nullable AepStreamingException failure) {
			Observation running = this.observation;
			if (running == null) {
				return;
			}
			StreamingSendContext context = (StreamingSendContext) running.getContext();
			context.setStatusCode(statusCode);
			if (failure != null) {
				running.error(failure);
			}
			else {
				context.setAcknowledged(true);
			}
			running.stop();
		}

	}

}
