package dev.aepstreaming.observation;

import java.util.Locale;

import dev.aepstreaming.observation.AepStreamingObservation.SendHighCardinalityKeyNames;
import dev.aepstreaming.observation.AepStreamingObservation.SendLowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default {@link StreamingSendObservationConvention}: the observation is named
 * {@code aep.streaming.send}, its contextual name is {@code send <connection name>}, and
 * its key values are those that {@link AepStreamingObservation#SEND} documents.
 *
 * @author aep-streaming
 */
public class DefaultStreamingSendObservationConvention implements StreamingSendObservationConvention {

	private static final String NAME = "aep.streaming.send";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(StreamingSendContext context) {
		return "send " + context.getConnectionName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(StreamingSendContext context) {
		return KeyValues.of(SendLowCardinalityKeyNames.CONNECTION.withValue(context.getConnectionName()),
				SendLowCardinalityKeyNames.KIND.withValue(context.getKind().name().toLowerCase(Locale.ROOT)),
				SendLowCardinalityKeyNames.OUTCOME.withValue(outcome(context)),
				SendLowCardinalityKeyNames.STATUS.withValue(statusClass(context.getStatusCode())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(StreamingSendContext context) {
		return KeyValues.of(SendHighCardinalityKeyNames.CONNECTION_ID.withValue(context.getConnectionId()),
				SendHighCardinalityKeyNames.MESSAGE_COUNT.withValue(Integer.toString(context.getMessageCount())));
	}

	/**
	 * Return the outcome key value: {@code acknowledged}, {@code failed} once an error is
	 * recorded, {@code unknown} before the end.
	 * @param context the context
	 * @return the outcome
	 */
	protected String outcome(StreamingSendContext context) {
		if (context.isAcknowledged()) {
			return "acknowledged";
		}
		return (context.getError() != null) ? "failed" : "unknown";
	}

	/**
	 * Return the class of an HTTP status: {@code 2xx}, {@code 4xx}, {@code 5xx}, …, or
	 * {@code none} for {@code 0}, when there was no answer.
	 * @param statusCode the status
	 * @return its class
	 */
	protected String statusClass(int statusCode) {
		return (statusCode >= 100 && statusCode < 1000) ? (statusCode / 100) + "xx" : "none";
	}

}
