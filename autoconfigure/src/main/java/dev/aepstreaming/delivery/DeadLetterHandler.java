package dev.aepstreaming.delivery;

/**
 * Receives every event that was accepted for delivery and finally failed, so that nothing
 * accepted is lost silently. Define a bean of this type to replace the default, which
 * logs each one at {@code WARN} and counts them.
 * <p>
 * For example, to keep them in a file for a later replay: <pre class="code">
 * &#64;Bean
 * DeadLetterHandler deadLetterFile(JsonMapper jsonMapper) {
 *     Path file = Path.of("aep-dead-letters.jsonl");
 *     return (letter) -&gt; {
 *         String line = jsonMapper.writeValueAsString(Map.of("id", letter.eventId(),
 *                 "reason", letter.reason().getMessage(), "payload", letter.message().getPayload()));
 *         synchronized (file) {
 *             try {
 *                 Files.writeString(file, line + "\n", CREATE, APPEND);
 *             }
 *             catch (IOException ex) {
 *                 throw new UncheckedIOException(ex);
 *             }
 *         }
 *     };
 * }
 * </pre> A handler is called on the thread that saw the failure, often a network thread:
 * it must not block for long; hand the letter to a queue for anything slow.
 *
 * @author aep-streaming
 */
@FunctionalInterface
public interface DeadLetterHandler {

	/**
	 * Handle an event that finally failed.
	 * @param letter the event and the reason
	 */
	void handle(DeadLetter letter);

}
