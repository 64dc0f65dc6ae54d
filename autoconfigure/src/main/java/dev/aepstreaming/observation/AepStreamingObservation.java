package dev.aepstreaming.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations that aep-streaming makes: one around each delivery to AEP and one
 * around each token request to IMS. No key value carries a payload, an event id, a token
 * or a secret.
 *
 * @author aep-streaming
 */
public enum AepStreamingObservation implements ObservationDocumentation {

	/**
	 * One accepted delivery, a single send or an explicit batch, from its acceptance to
	 * its end: acknowledged by AEP, or failed. Parent of the HTTP client observations of
	 * its requests.
	 */
	SEND {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultStreamingSendObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return SendLowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return SendHighCardinalityKeyNames.values();
		}

	},

	/**
	 * One token request to IMS, from its start to the token or the failure.
	 */
	TOKEN_REQUEST {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultImsTokenRequestObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return TokenRequestLowCardinalityKeyNames.values();
		}

	};

	/**
	 * Low-cardinality keys of the {@link #SEND} observation.
	 */
	public enum SendLowCardinalityKeyNames implements KeyName {

		/**
		 * The name of the connection in the configuration, {@code default} for the
		 * top-level one.
		 */
		CONNECTION {

			@Override
			public String asString() {
				return "aep.streaming.connection";
			}

		},

		/**
		 * What was sent: {@code single} for one message, {@code batch} for an explicit
		 * batch.
		 */
		KIND {

			@Override
			public String asString() {
				return "aep.streaming.kind";
			}

		},

		/**
		 * How the delivery ended: {@code acknowledged}, {@code failed}, or
		 * {@code unknown} before its end.
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

		},

		/**
		 * The class of the HTTP status AEP answered ({@code 2xx}, {@code 4xx},
		 * {@code 5xx}, …), or {@code none} without an answer.
		 */
		STATUS {

			@Override
			public String asString() {
				return "status";
			}

		}

	}

	/**
	 * High-cardinality keys of the {@link #SEND} observation.
	 */
	public enum SendHighCardinalityKeyNames implements KeyName {

		/**
		 * The id of the AEP streaming connection.
		 */
		CONNECTION_ID {

			@Override
			public String asString() {
				return "aep.streaming.connection.id";
			}

		},

		/**
		 * How many messages the delivery carried.
		 */
		MESSAGE_COUNT {

			@Override
			public String asString() {
				return "aep.streaming.message.count";
			}

		}

	}

	/**
	 * Low-cardinality keys of the {@link #TOKEN_REQUEST} observation.
	 */
	public enum TokenRequestLowCardinalityKeyNames implements KeyName {

		/**
		 * The name of the credential: the name of the connection whose configuration
		 * defines it, {@code default} for the top-level one.
		 */
		CREDENTIAL {

			@Override
			public String asString() {
				return "aep.streaming.credential";
			}

		},

		/**
		 * How the request ended: {@code success}, {@code rejected} when IMS refused the
		 * credential, {@code failed} otherwise, or {@code unknown} before its end.
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

		}

	}

}
