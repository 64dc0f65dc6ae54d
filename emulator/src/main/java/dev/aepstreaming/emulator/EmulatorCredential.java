package dev.aepstreaming.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An OAuth server-to-server credential that the emulated IMS accepts, as created in
 * Adobe's Developer Console: a client id, one or two client secrets, the organization it
 * belongs to and the scopes it grants.
 * <p>
 * Adobe lets a credential hold two secrets at once so that a secret can be rotated
 * without downtime; {@link #withAdditionalSecret(String)} models that. Secrets are never
 * part of {@link #toString()}.
 *
 * @author aep-streaming
 */
public final class EmulatorCredential {

	/**
	 * Client id of the credential that an emulator uses when none is configured.
	 */
	public static final String DEFAULT_CLIENT_ID = "emulator-client-id";

	/**
	 * Client secret of the default credential. It is the emulator's own, publicly known,
	 * fake secret: it grants nothing anywhere else.
	 */
	public static final String DEFAULT_CLIENT_SECRET = "emulator-client-secret";

	/**
	 * Organization of the default credential, shaped like a real IMS organization id.
	 */
	public static final String DEFAULT_ORG_ID = "EMULATOR0000000000000000@AdobeOrg";

	/**
	 * Scopes of the default credential: the usual Experience Platform set that the
	 * Developer Console shows for an OAuth server-to-server credential.
	 */
	public static final List<String> DEFAULT_SCOPES = List.of("openid", "AdobeID", "read_organizations",
			"additional_info.projectedProductContext", "session");

	private static final int MAX_SECRETS = 2;

	private final String clientId;

	private final List<String> secrets;

	private final String orgId;

	private final Set<String> scopes;

	private EmulatorCredential(String clientId, List<String> secrets, String orgId, Collection<String> scopes) {
		this.clientId = requireText(clientId, "clientId");
		this.secrets = List.copyOf(secrets);
		this.secrets.forEach((secret) -> requireText(secret, "clientSecret"));
		this.orgId = requireText(orgId, "orgId");
		Objects.requireNonNull(scopes, "scopes must not be null");
		if (scopes.isEmpty()) {
			throw new IllegalArgumentException("scopes must not be empty");
		}
		scopes.forEach((scope) -> requireText(scope, "scope"));
		this.scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
	}

	/**
	 * Create a credential with a single secret.
	 * @param clientId the client id, also used as the {@code x-api-key}
	 * @param clientSecret the client secret
	 * @param orgId the IMS organization id, usually ending in {@code @AdobeOrg}
	 * @param scopes the scopes the credential grants
	 * @return the credential
	 */
	public static EmulatorCredential of(String clientId, String clientSecret, String orgId, Collection<String> scopes) {
		return new EmulatorCredential(clientId, List.of(requireText(clientSecret, "clientSecret")), orgId, scopes);
	}

	/**
	 * Create a credential with a single secret.
	 * @param clientId the client id, also used as the {@code x-api-key}
	 * @param clientSecret the client secret
	 * @param orgId the IMS organization id, usually ending in {@code @AdobeOrg}
	 * @param scopes the scopes the credential grants
	 * @return the credential
	 */
	public static EmulatorCredential of(String clientId, String clientSecret, String orgId, String... scopes) {
		return of(clientId, clientSecret, orgId, Arrays.asList(scopes));
	}

	/**
	 * Return the credential that an emulator uses when none is configured, built from the
	 * {@code DEFAULT_*} constants of this class.
	 * @return the default credential
	 */
	public static EmulatorCredential defaultCredential() {
		return of(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_ORG_ID, DEFAULT_SCOPES);
	}

	/**
	 * Return a copy of this credential that also accepts the given secret, as during a
	 * secret rotation. Tokens issued with either secret are equally valid.
	 * @param secret the second secret
	 * @return a credential with both secrets
	 * @throws IllegalStateException if this credential already holds two secrets
	 */
	public EmulatorCredential withAdditionalSecret(String secret) {
		if (this.secrets.size() >= MAX_SECRETS) {
			throw new IllegalStateException("A credential holds at most " + MAX_SECRETS + " secrets");
		}
		List<String> secrets = new ArrayList<>(this.secrets);
		secrets.add(requireText(secret, "secret"));
		return new EmulatorCredential(this.clientId, secrets, this.orgId, this.scopes);
	}

	/**
	 * Return the client id.
	 * @return the client id
	 */
	public String clientId() {
		return this.clientId;
	}

	/**
	 * Return the first client secret.
	 * @return the client secret
	 */
	public String clientSecret() {
		return this.secrets.get(0);
	}

	/**
	 * Return every secret that the credential accepts, the first one first.
	 * @return the secrets
	 */
	public List<String> clientSecrets() {
		return this.secrets;
	}

	/**
	 * Return the IMS organization id.
	 * @return the organization id
	 */
	public String orgId() {
		return this.orgId;
	}

	/**
	 * Return the scopes that the credential grants, in their configured order.
	 * @return the scopes
	 */
	public Set<String> scopes() {
		return this.scopes;
	}

	/**
	 * Return the scopes joined with commas, the separator IMS expects in a token request.
	 * @return the comma-separated scopes
	 */
	public String scopeParameter() {
		return String.join(",", this.scopes);
	}

	boolean acceptsSecret(String secret) {
		return this.secrets.stream().anyMatch((candidate) -> Secrets.constantTimeEquals(candidate, secret));
	}

	private static String requireText(String value, String name) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(name + " must not be empty");
		}
		return value;
	}

	@Override
	public String toString() {
		return "EmulatorCredential[clientId=" + this.clientId + ", orgId=" + this.orgId + ", scopes=" + this.scopes
				+ ", secrets=" + this.secrets.size() + " (hidden)]";
	}

}
