package dev.aepstreaming.delivery;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A {@link DeadLetterHandler} that keeps every letter it receives, in order, for tests to
 * assert on.
 *
 * @author aep-streaming
 */
public final class RecordingDeadLetterHandler implements DeadLetterHandler {

	private final Queue<DeadLetter> letters = new ConcurrentLinkedQueue<>();

	@Override
	public void handle(DeadLetter letter) {
		this.letters.add(letter);
	}

	public List<DeadLetter> letters() {
		return List.copyOf(this.letters);
	}

	public List<String> eventIds() {
		return this.letters.stream().map(DeadLetter::eventId).toList();
	}

	/**
	 * Return how many letters each event id received.
	 * @return the counts by event id
	 */
	public Map<String, Long> countsByEventId() {
		return this.letters.stream().collect(Collectors.groupingBy(DeadLetter::eventId, Collectors.counting()));
	}

	/**
	 * Return the letters by event id, each event id expected once.
	 * @return the letters by event id
	 */
	public Map<String, DeadLetter> byEventId() {
		return this.letters.stream().collect(Collectors.toMap(DeadLetter::eventId, Function.identity()));
	}

}
