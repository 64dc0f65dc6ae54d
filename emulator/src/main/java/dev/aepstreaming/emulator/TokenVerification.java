package dev.aepstreaming.emulator;

/**
 * The outcome of checking a bearer token, with the claims the streaming endpoint compares
 * to the request headers when the token is valid.
 *
 * @param outcome whether the token is valid, and if not why
 * @param clientId the token's client id, or {@code null} when not valid
 * @param orgId the token's organization, or {@code null} when not valid
 * @author aep-streaming
 */
record TokenVerification(Outcome outcome, String clientId, String orgId) {

	static TokenVerification valid(String clientId, String orgId) {
		return new TokenVerification(Outcome.VALID, clientId, orgId);
	}

	static TokenVerification failure(Outcome outcome) {
		return new TokenVerification(outcome, null, null);
	}

	boolean isValid() {
		return this.outcome == Outcome.VALID;
	}

	/**
	 * Why a token is accepted or not; each failure has its own 401 report message.
	 */
	enum Outcome {

		VALID(null), MISSING("Ims service token is empty"), MALFORMED("Ims service token is malformed"),
		INVALID_SIGNATURE("Ims service token signature is invalid"), EXPIRED("Ims service token has expired"),
		REVOKED("Ims service token has been revoked");

		private final String message;

		Outcome(String message) {
			this.message = message;
		}

		String message() {
			return this.message;
		}

	}

}
