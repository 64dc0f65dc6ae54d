package dev.aepstreaming.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Decides the name and key values of the {@link AepStreamingObservation#SEND}
 * observation.
 *
 * @author aep-streaming
 * @see DefaultStreamingSendObservationConvention
 */
public interface StreamingSendObservationConvention extends ObservationConvention<StreamingSendContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof StreamingSendContext;
	}

}
