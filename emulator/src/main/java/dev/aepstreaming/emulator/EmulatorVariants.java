package dev.aepstreaming.emulator;

import java.util.Objects;

/**
 * Switches between the variants of a response where Adobe's sources disagree, so that a
 * client can be tested against each. The defaults follow the documented or most often
 * observed behaviour; {@link #reset()} restores them. Changeable from Java or through
 * {@code /emulator/variants} (see {@link AepEmulator}).
 *
 * @author aep-streaming
 */
public final class EmulatorVariants {

	private volatile BatchStatusField batchStatusField = BatchStatusField.STATUS_CODE;

	private volatile boolean syncValidationSupported = true;

	private volatile int rejectedTokenStatus = 401;

	private volatile int invalidClientStatus = 400;

	/**
	 * Return the name of the status field of a failed message in a 207 batch response.
	 * @return the field
	 */
	public BatchStatusField batchStatusField() {
		return this.batchStatusField;
	}

	/**
	 * Set the name of the status field of a failed message in a 207 batch response. The
	 * documentation shows {@code statusCode}; Adobe's own connector also handles
	 * {@code status}.
	 * @param field the field
	 * @return this instance
	 */
	public EmulatorVariants batchStatusField(BatchStatusField field) {
		this.batchStatusField = Objects.requireNonNull(field, "field must not be null");
		return this;
	}

	/**
	 * Return whether {@code syncValidation=true} is supported.
	 * @return whether synchronous validation is supported
	 */
	public boolean syncValidationSupported() {
		return this.syncValidationSupported;
	}

	/**
	 * Set whether {@code syncValidation=true} is supported. When it is not, such requests
	 * are answered {@code 501}, as AEP documents for regions without synchronous
	 * validation.
	 * @param supported whether synchronous validation is supported
	 * @return this instance
	 */
	public EmulatorVariants syncValidationSupported(boolean supported) {
		this.syncValidationSupported = supported;
		return this;
	}

	/**
	 * Return the status answered for a missing, invalid, expired or revoked token.
	 * @return 401 or 403
	 */
	public int rejectedTokenStatus() {
		return this.rejectedTokenStatus;
	}

	/**
	 * Set the status answered for a missing, invalid, expired or revoked token on an
	 * authenticated connection: 401 as documented and observed, or 403 as one AEP page
	 * says for invalid or expired tokens.
	 * @param status 401 or 403
	 * @return this instance
	 */
	public EmulatorVariants rejectedTokenStatus(int status) {
		if (status != 401 && status != 403) {
			throw new IllegalArgumentException("status must be 401 or 403, not " + status);
		}
		this.rejectedTokenStatus = status;
		return this;
	}

	/**
	 * Return the status of an IMS {@code invalid_client} error.
	 * @return 400 or 401
	 */
	public int invalidClientStatus() {
		return this.invalidClientStatus;
	}

	/**
	 * Set the status of an IMS {@code invalid_client} error: 400 as observed from the
	 * token endpoint, or 401 as older IMS documentation shows.
	 * @param status 400 or 401
	 * @return this instance
	 */
	public EmulatorVariants invalidClientStatus(int status) {
		if (status != 400 && status != 401) {
			throw new IllegalArgumentException("status must be 400 or 401, not " + status);
		}
		this.invalidClientStatus = status;
		return this;
	}

	/**
	 * Restore every default.
	 */
	public void reset() {
		this.batchStatusField = BatchStatusField.STATUS_CODE;
		this.syncValidationSupported = true;
		this.rejectedTokenStatus = 401;
		this.invalidClientStatus = 400;
	}

	/**
	 * The name of the status field of a failed message in a 207 batch response.
	 */
	public enum BatchStatusField {

		/**
		 * {@code "statusCode":400}, as in the documentation.
		 */
		STATUS_CODE("statusCode"),

		/**
		 * {@code "status":400}, as Adobe's own connector also expects.
		 */
		STATUS("status");

		private final String jsonName;

		BatchStatusField(String jsonName) {
			this.jsonName = jsonName;
		}

		/**
		 * Return the field name as written in the response.
		 * @return the JSON field name
		 */
		public String jsonName() {
			return this.jsonName;
		}

		static BatchStatusField fromJsonName(String name) {
			for (BatchStatusField field : values()) {
				if (field.jsonName.equals(name)) {
					return field;
				}
			}
			throw new IllegalArgumentException("Unknown batch status field '" + name + "'");
		}

	}

}
