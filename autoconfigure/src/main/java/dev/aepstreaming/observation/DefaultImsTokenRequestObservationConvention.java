package dev.aepstreaming.observation;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.observation.AepStreamingObservation.TokenRequestLowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The default {@link ImsTokenRequestObservationConvention}: the observation is named
 * {@code aep.streaming.token.request}, its contextual name is
 * {@code token request <credential name>}, and its key values are those that
 * {@link AepStreamingObservation#TOKEN_REQUEST} documents.
 *
 * @author aep-streaming
 */
public class DefaultImsTokenRequestObservationConvention implements ImsTokenRequestObservationConvention {

	private static final String NAME = "aep.streaming.token.request";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ImsTokenRequestContext context) {
		return "token request " + context.getCredentialName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ImsTokenRequestContext context) {
		return KeyValues.of(TokenRequestLowCardinalityKeyNames.CREDENTIAL.withValue(context.getCredentialName()),
				TokenRequestLowCardinalityKeyNames.OUTCOME.withValue(outcome(context)));
	}

	/**
	 * Return the outcome key value: {@code success}, {@code rejected} when IMS refused
	 * the credential ({@link ImsTokenException#isCredentialRejected()}), {@code failed}
	 * for any other error, {@code unknown} before the end.
	 * @param context the context
	 * @return the outcome
	 */
	protected String outcome(ImsTokenRequestContext context) {
		if (context.isTokenObtained()) {
			return "success";
		}
		Throwable error = context.getError();
		if (error == null) {
			return "unknown";
		}
		return (error instanceof ImsTokenException failure && failure.isCredentialRejected()) ? "rejected" : "failed";
	}

}
