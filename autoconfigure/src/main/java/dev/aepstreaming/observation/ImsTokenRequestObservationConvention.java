package dev.aepstreaming.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Decides the name and key values of the {@link AepStreamingObservation#TOKEN_REQUEST}
 * observation.
 *
 * @author aep-streaming
 * @see DefaultImsTokenRequestObservationConvention
 */
public interface ImsTokenRequestObservationConvention extends ObservationConvention<ImsTokenRequestContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ImsTokenRequestContext;
	}

}
