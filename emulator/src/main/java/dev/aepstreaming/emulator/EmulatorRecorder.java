package dev.aepstreaming.emulator;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the emulator received, for tests to assert on: accepted streaming messages, token
 * requests and rejected requests.
 * <p>
 * Memory is bounded: each of the three logs keeps only its most recent entries, up to the
 * capacity set with {@link AepEmulator.Builder#recorderCapacity(int)}, while the counts
 * keep counting every entry since the last {@link #reset()}. A capacity of zero keeps
 * nothing and only counts, which suits throughput benchmarks. Recording is lock-free.
 * <p>
 * Nothing recorded contains a client secret, a token or an {@code Authorization} header.
 *
 * @author aep-streaming
 */
public final class EmulatorRecorder {

	private final int capacity;

	private final BoundedLog<RecordedMessage> messages;

	private final BoundedLog<RecordedTokenRequest> tokenRequests;

	private final BoundedLog<RecordedRejection> rejections;

	private final AtomicLong issuedTokens = new AtomicLong();

	EmulatorRecorder(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException("capacity must not be negative");
		}
		this.capacity = capacity;
		this.messages = new BoundedLog<>(capacity);
		this.tokenRequests = new BoundedLog<>(capacity);
		this.rejections = new BoundedLog<>(capacity);
	}

	/**
	 * Record an accepted message, creating the entry only if it will be kept: with a
	 * capacity of zero, accepting a message costs one counter increment.
	 * @param message the supplier of the entry
	 */
	void recordMessage(Supplier<RecordedMessage> message) {
		if (this.capacity == 0) {
			this.messages.add(null);
		}
		else {
			this.messages.add(message.get());
		}
	}

	void recordTokenRequest(RecordedTokenRequest request) {
		if (request.issued()) {
			this.issuedTokens.incrementAndGet();
		}
		this.tokenRequests.add(request);
	}

	void recordRejection(RecordedRejection rejection) {
		this.rejections.add(rejection);
	}

	/**
	 * Return how many entries each log keeps.
	 * @return the capacity
	 */
	public int capacity() {
		return this.capacity;
	}

	/**
	 * Return the retained accepted messages, oldest first.
	 * @return the messages
	 */
	public List<RecordedMessage> messages() {
		return this.messages.snapshot();
	}

	/**
	 * Return the retained accepted messages of one connection, oldest first.
	 * @param connectionId the connection id
	 * @return the messages
	 */
	public List<RecordedMessage> messages(String connectionId) {
		return this.messages.snapshot()
			.stream()
			.filter((message) -> message.connectionId().equals(connectionId))
			.toList();
	}

	/**
	 * Return the retained token requests, oldest first.
	 * @return the token requests
	 */
	public List<RecordedTokenRequest> tokenRequests() {
		return this.tokenRequests.snapshot();
	}

	/**
	 * Return the retained rejections, oldest first.
	 * @return the rejections
	 */
	public List<RecordedRejection> rejections() {
		return this.rejections.snapshot();
	}

	/**
	 * Return how many messages were accepted, counting each message of a batch.
	 * @return the exact count since the last reset
	 */
	public long acceptedMessageCount() {
		return this.messages.total();
	}

	/**
	 * Return how many token requests were received, successful or not.
	 * @return the exact count since the last reset
	 */
	public long tokenRequestCount() {
		return this.tokenRequests.total();
	}

	/**
	 * Return how many tokens were issued.
	 * @return the exact count since the last reset
	 */
	public long issuedTokenCount() {
		return this.issuedTokens.get();
	}

	/**
	 * Return how many requests, or messages of batches, were rejected.
	 * @return the exact count since the last reset
	 */
	public long rejectionCount() {
		return this.rejections.total();
	}

	/**
	 * Forget everything recorded and set every count to zero.
	 */
	public void reset() {
		this.messages.clear();
		this.tokenRequests.clear();
		this.rejections.clear();
		this.issuedTokens.set(0);
	}

}
