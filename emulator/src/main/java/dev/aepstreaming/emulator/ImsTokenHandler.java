package dev.aepstreaming.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.codec.http.QueryStringDecoder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The emulated IMS token endpoint for OAuth server-to-server credentials, as documented
 * for {@code POST https://ims-na1.adobelogin.com/ims/token/v3} (older Adobe code calls
 * {@code /ims/token/v2}, which behaves the same here).
 * <p>
 * Parameters come from an {@code application/x-www-form-urlencoded} body or from the
 * query, the body winning. The client authenticates with {@code client_secret_post} (the
 * documented method) or with {@code client_secret_basic} (advertised by IMS discovery);
 * with basic authentication a {@code client_id} parameter, if sent, must name the same
 * client. {@code grant_type}, {@code client_id}, {@code client_secret} and {@code scope}
 * are all mandatory, {@code grant_type} must be {@code client_credentials}, and the
 * scopes are separated by commas as IMS expects: a space-separated list, the OAuth
 * default of many clients, is one unknown scope and fails with {@code invalid_scope}.
 * <p>
 * Errors have the IMS shape {@code {"error":…,"error_description":…}}, with status 400
 * ({@code invalid_client} can be switched to 401 with
 * {@link EmulatorVariants#invalidClientStatus(int)}). The descriptions of
 * {@code invalid_client} are those observed from IMS; the others are the emulator's.
 *
 * @author aep-streaming
 */
final class ImsTokenHandler {

	private static final Log logger = LogFactory.getLog(ImsTokenHandler.class);

	private static final String FORM = "application/x-www-form-urlencoded";

	private final Map<String, EmulatorCredential> credentials;

	private final TokenIssuer issuer;

	private final EmulatorRecorder recorder;

	private final EmulatorVariants variants;

	ImsTokenHandler(Map<String, EmulatorCredential> credentials, TokenIssuer issuer, EmulatorRecorder recorder,
			EmulatorVariants variants) {
		this.credentials = credentials;
		this.issuer = issuer;
		this.recorder = recorder;
		this.variants = variants;
	}

	EmulatorResponse handle(EmulatorRequest request) {
		if (!"POST".equals(request.method())) {
			return EmulatorResponse.json(405, error("invalid_request", "method not allowed"))
				.withHeader("Allow", "POST");
		}
		if (request.tooLarge()) {
			return reject(request, null, 413, "invalid_request", "request body too large");
		}
		TokenRequest tokenRequest;
		try {
			tokenRequest = TokenRequest.from(request);
		}
		catch (IllegalArgumentException ex) {
			return reject(request, null, 400, "invalid_request", ex.getMessage());
		}
		return handle(request, tokenRequest);
	}

	private EmulatorResponse handle(EmulatorRequest request, TokenRequest tokenRequest) {
		if (tokenRequest.grantType() == null) {
			return reject(request, tokenRequest, 400, "invalid_request", "missing grant_type parameter");
		}
		if (!"client_credentials".equals(tokenRequest.grantType())) {
			return reject(request, tokenRequest, 400, "unsupported_grant_type", "unsupported grant_type parameter");
		}
		if (tokenRequest.clientId() == null) {
			return reject(request, tokenRequest, 400, "invalid_request", "missing client_id parameter");
		}
		EmulatorCredential credential = this.credentials.get(tokenRequest.clientId());
		if (credential == null) {
			return reject(request, tokenRequest, this.variants.invalidClientStatus(), "invalid_client",
					"invalid client_id parameter");
		}
		if (tokenRequest.clientSecret() == null) {
			return reject(request, tokenRequest, 400, "invalid_request", "missing client_secret parameter");
		}
		if (!credential.acceptsSecret(tokenRequest.clientSecret())) {
			return reject(request, tokenRequest, this.variants.invalidClientStatus(), "invalid_client",
					"invalid client_secret parameter");
		}
		if (tokenRequest.scope() == null) {
			return reject(request, tokenRequest, 400, "invalid_request", "missing scope parameter");
		}
		if (!credential.scopes().containsAll(tokenRequest.scopes())) {
			return reject(request, tokenRequest, 400, "invalid_scope", "invalid scope parameter");
		}
		return issue(request, tokenRequest, credential);
	}

	private EmulatorResponse issue(EmulatorRequest request, TokenRequest tokenRequest, EmulatorCredential credential) {
		String token = this.issuer.issue(credential, String.join(",", tokenRequest.scopes()));
		this.recorder.recordTokenRequest(new RecordedTokenRequest(tokenRequest.clientId(), tokenRequest.scopes(),
				"issued", 200, request.receivedAt()));
		if (logger.isDebugEnabled()) {
			logger.debug("Issued an access token to client " + tokenRequest.clientId());
		}
		ObjectNode body = Json.object();
		body.put("access_token", token);
		body.put("token_type", "bearer");
		body.put("expires_in", this.issuer.expiresInSeconds());
		return EmulatorResponse.json(200, body).withHeader("Cache-Control", "no-store");
	}

	/**
	 * Record a token request that an injected fault answered, without processing it.
	 * @param request the request
	 * @param status the answered status, 0 for a dropped connection
	 */
	void recordFault(EmulatorRequest request, int status) {
		TokenRequest tokenRequest = null;
		try {
			tokenRequest = TokenRequest.from(request);
		}
		catch (IllegalArgumentException ex) {
			// A request the fault pre-empted may be malformed too: record it without
			// details.
		}
		String outcome = (status != 0) ? "fault_" + status : "fault_dropped";
		record(request, tokenRequest, status, outcome);
	}

	static ObjectNode error(String error, String description) {
		ObjectNode body = Json.object();
		body.put("error", error);
		body.put("error_description", description);
		return body;
	}

	private EmulatorResponse reject(EmulatorRequest request, TokenRequest tokenRequest, int status, String error,
			String description) {
		record(request, tokenRequest, status, error);
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected a token request: " + error + " (" + description + ")");
		}
		return EmulatorResponse.json(status, error(error, description));
	}

	private void record(EmulatorRequest request, TokenRequest tokenRequest, int status, String outcome) {
		String clientId = (tokenRequest != null) ? tokenRequest.clientId() : null;
		List<String> scopes = (tokenRequest != null) ? tokenRequest.scopes() : List.of();
		this.recorder
			.recordTokenRequest(new RecordedTokenRequest(clientId, scopes, outcome, status, request.receivedAt()));
		this.recorder.recordRejection(
				new RecordedRejection(EmulatorEndpoint.TOKEN, request.path(), status, outcome, request.receivedAt()));
	}

	/**
	 * The parameters of a token request, merged from query, form body and basic
	 * authentication. Its {@code toString()} leaves the secret out.
	 */
	private record TokenRequest(String grantType, String clientId, String clientSecret, String scope) {

		static TokenRequest from(EmulatorRequest request) {
			Map<String, String> parameters = new HashMap<>();
			request.query().forEach((name, values) -> parameters.put(name, values.get(0)));
			parameters.putAll(formParameters(request));
			String[] basic = basicCredentials(request.header("Authorization"));
			if (basic != null) {
				String clientId = parameters.get("client_id");
				if (clientId != null && !clientId.equals(basic[0])) {
					throw new IllegalArgumentException("client_id parameter does not match the Authorization header");
				}
				parameters.put("client_id", basic[0]);
				parameters.put("client_secret", basic[1]);
			}
			return new TokenRequest(blankToNull(parameters.get("grant_type")), blankToNull(parameters.get("client_id")),
					blankToNull(parameters.get("client_secret")), blankToNull(parameters.get("scope")));
		}

		List<String> scopes() {
			if (this.scope == null) {
				return List.of();
			}
			return Arrays.stream(this.scope.split(",")).map(String::trim).filter((scope) -> !scope.isEmpty()).toList();
		}

		private static Map<String, String> formParameters(EmulatorRequest request) {
			if (request.body().length == 0) {
				return Map.of();
			}
			String contentType = request.header("Content-Type");
			if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
				throw new IllegalArgumentException("unsupported content type, expected " + FORM);
			}
			String body = new String(request.body(), StandardCharsets.UTF_8);
			Map<String, String> parameters = new HashMap<>();
			new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters()
				.forEach((name, values) -> parameters.put(name, values.get(0)));
			return parameters;
		}

		private static String[] basicCredentials(String authorization) {
			if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
				return null;
			}
			String decoded;
			try {
				decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
						StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("malformed Basic Authorization header");
			}
			int colon = decoded.indexOf(':');
			if (colon < 0) {
				throw new IllegalArgumentException("malformed Basic Authorization header");
			}
			// RFC 6749 section 2.3.1: both parts are form-encoded before the Base64
			// encoding.
			return new String[] { formDecode(decoded.substring(0, colon)), formDecode(decoded.substring(colon + 1)) };
		}

		private static String formDecode(String value) {
			return URLDecoder.decode(value, StandardCharsets.UTF_8);
		}

		private static String blankToNull(String value) {
			return (value == null || value.isBlank()) ? null : value;
		}

		@Override
		public String toString() {
			return "TokenRequest[grantType=" + this.grantType + ", clientId=" + this.clientId + ", scope=" + this.scope
					+ "]";
		}

	}

}
