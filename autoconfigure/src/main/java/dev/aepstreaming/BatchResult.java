package dev.aepstreaming;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * AEP's answer to a batch sent to {@code /collection/batch/{connectionId}}: one result
 * per message, in the order the caller gave the messages. AEP answers {@code 207}
 * whenever it processed the batch, so a batch in which some messages failed does not
 * throw: inspect {@link #failures()}.
 *
 * @param statusCode the HTTP status AEP answered ({@code 207})
 * @param inletId the id of the streaming connection that received the batch
 * @param batchId AEP's id for the batch
 * @param receivedTimeMs when AEP received the batch, in milliseconds since the epoch
 * @param results one result per message, in the caller's order
 * @author aep-streaming
 */
public record BatchResult(int statusCode, @Nullable String inletId, @Nullable String batchId, long receivedTimeMs,
		List<BatchMessageResult> results) {

	/**
	 * Create a new result, copying the list of results.
	 */
	public BatchResult {
		results = List.copyOf(results);
	}

	/**
	 * Return whether AEP accepted every message of the batch.
	 * @return whether all messages succeeded
	 */
	public boolean isAllSuccessful() {
		return this.results.stream().allMatch(BatchMessageResult::isSuccess);
	}

	/**
	 * Return the results of the messages that AEP did not accept.
	 * @return the failed messages' results, in the caller's order
	 */
	public List<BatchMessageResult> failures() {
		return this.results.stream().filter((result) -> !result.isSuccess()).toList();
	}

}
