package dev.aepstreaming.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.xdm.StreamingMessageWriter;

import org.springframework.util.StringUtils;

/**
 * Checks the streaming configuration once at startup, collecting every problem so that a
 * user fixes them all in one go.
 *
 * @author aep-streaming
 */
final class AepStreamingConfigurationValidator {

	private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

	private AepStreamingConfigurationValidator() {
	}

	static void validate(AepStreamingProperties properties, AepStreamingConnectionDetails details) {
		List<String> problems = new ArrayList<>();
		requireText(problems, details.getConnectionId(),
				source(details, "aep.streaming.connection-id", "getConnectionId"));
		requireText(problems, properties.getSandboxName(), "aep.streaming.sandbox-name");
		checkUrl(problems, details.getBaseUrl(), source(details, "aep.streaming.base-url", "getBaseUrl"),
				properties.isAllowInsecureHttp());
		requirePositive(problems, properties.getConnectTimeout(), "aep.streaming.connect-timeout");
		requirePositive(problems, properties.getResponseTimeout(), "aep.streaming.response-timeout");
		requirePositive(problems, properties.getReadTimeout(), "aep.streaming.read-timeout");
		validateProxy(problems, properties.getProxy());
		if (properties.isAuthenticated()) {
			validateIms(problems, properties, details);
		}
		validateDelivery(problems, properties);
		if (problems.isEmpty()) {
			validateConnections(problems, properties, StreamingConnectionSettings.ofDefault(properties, details));
		}
		if (!problems.isEmpty()) {
			throw new InvalidAepStreamingConfigurationException(problems);
		}
	}

	private static void validateIms(List<String> problems, AepStreamingProperties properties,
			AepStreamingConnectionDetails details) {
		String hint = " (required because aep.streaming.authenticated is true)";
		requireText(problems, details.getClientId(), source(details, "aep.streaming.ims.client-id", "getClientId"),
				hint);
		requireText(problems, details.getClientSecret(),
				source(details, "aep.streaming.ims.client-secret", "getClientSecret"), hint);
		requireText(problems, details.getOrgId(), source(details, "aep.streaming.ims.org-id", "getOrgId"), hint);
		if (details.getScopes() == null || details.getScopes().stream().noneMatch(StringUtils::hasText)) {
			problems.add(source(details, "aep.streaming.ims.scopes", "getScopes") + " must list at least one scope");
		}
		checkUrl(problems, details.getTokenUri(), source(details, "aep.streaming.ims.token-uri", "getTokenUri"),
				properties.isAllowInsecureHttp());
		AepStreamingProperties.Ims ims = properties.getIms();
		requirePositive(problems, ims.getRefreshBeforeExpiry(), "aep.streaming.ims.refresh-before-expiry");
		requirePositive(problems, ims.getTokenRequestTimeout(), "aep.streaming.ims.token-request-timeout");
		requirePositive(problems, ims.getInitialRetryBackoff(), "aep.streaming.ims.initial-retry-backoff");
		requirePositive(problems, ims.getMaxRetryBackoff(), "aep.streaming.ims.max-retry-backoff");
		requireNotNegative(problems, ims.getMinReauthenticationInterval(),
				"aep.streaming.ims.min-reauthentication-interval");
	}

	/**
	 * Check the named connections over the default one's settings, which are valid by
	 * then, so that each problem names a property of the named connection.
	 */
	private static void validateConnections(List<String> problems, AepStreamingProperties properties,
			StreamingConnectionSettings defaults) {
		Map<String, String> connectionIds = new HashMap<>();
		connectionIds.put(defaults.connectionId(), defaults.propertyPrefix() + ".connection-id");
		List<StreamingConnectionSettings> withCredential = new ArrayList<>();
		if (defaults.credential() != null) {
			withCredential.add(defaults);
		}
		properties.getConnections().forEach((name, connection) -> {
			String prefix = StreamingConnectionSettings.DEFAULT_PREFIX + ".connections." + name;
			if (StreamingTemplates.DEFAULT_CONNECTION.equals(name)) {
				problems.add(prefix + " is not allowed: the name '" + name + "' belongs to the connection of the "
						+ "top-level aep.streaming.* properties; choose another name");
				return;
			}
			if (connection == null) {
				problems.add(prefix + " must configure at least " + prefix + ".connection-id");
				return;
			}
			StreamingConnectionSettings settings = defaults.overlay(name, connection);
			if (!StringUtils.hasText(connection.getConnectionId())) {
				problems.add(prefix + ".connection-id must be set");
			}
			else {
				String other = connectionIds.putIfAbsent(connection.getConnectionId(), prefix + ".connection-id");
				if (other != null) {
					problems.add(prefix + ".connection-id '" + connection.getConnectionId() + "' is already used by "
							+ other + "; each connection needs its own id");
				}
			}
			if (connection.getBaseUrl() != null) {
				checkUrl(problems, connection.getBaseUrl(), prefix + ".base-url", properties.isAllowInsecureHttp());
			}
			if (connection.getSandboxName() != null && !StringUtils.hasText(connection.getSandboxName())) {
				problems.add(prefix + ".sandbox-name must not be blank");
			}
			validateConnectionIms(problems, properties, connection.getIms(), settings, prefix, withCredential);
		});
	}

	private static void validateConnectionIms(List<String> problems, AepStreamingProperties properties,
			AepStreamingProperties.Connection.Ims ims, StreamingConnectionSettings settings, String prefix,
			List<StreamingConnectionSettings> withCredential) {
		if (settings.credential() == null) {
			if (StringUtils.hasText(ims.getClientId()) || StringUtils.hasText(ims.getClientSecret())) {
				problems.add(prefix + ".ims.* is set, but aep.streaming.authenticated is false, so no connection "
						+ "sends a token; remove it, or set aep.streaming.authenticated=true");
			}
			return;
		}
		if (StringUtils.hasText(ims.getClientSecret()) && !StringUtils.hasText(ims.getClientId())) {
			problems.add(prefix + ".ims.client-secret is set without " + prefix + ".ims.client-id; set the client id "
					+ "of the credential that the secret belongs to");
			return;
		}
		if (!StringUtils.hasText(settings.credential().clientSecret())) {
			problems.add(prefix + ".ims.client-secret must be set (required because " + prefix
					+ ".ims.client-id names a credential of its own)");
		}
		if (ims.getTokenUri() != null) {
			checkUrl(problems, ims.getTokenUri(), prefix + ".ims.token-uri", properties.isAllowInsecureHttp());
		}
		if (ims.getScopes() != null && !ims.getScopes().isEmpty()
				&& ims.getScopes().stream().noneMatch(StringUtils::hasText)) {
			problems.add(prefix + ".ims.scopes must list at least one scope");
		}
		if (ims.getOrgId() != null && !StringUtils.hasText(ims.getOrgId())) {
			problems.add(prefix + ".ims.org-id must not be blank");
		}
		for (StreamingConnectionSettings other : withCredential) {
			if (other.credential().sameClient(settings.credential())
					&& !other.credential().equals(settings.credential())) {
				problems.add(prefix + ".ims names client id '" + settings.credential().clientId()
						+ "' with another client secret or other scopes than " + other.propertyPrefix()
						+ ".ims; one client id has one credential, so set the same secret and scopes or none");
				return;
			}
		}
		withCredential.add(settings);
	}

	private static void validateProxy(List<String> problems, AepStreamingProperties.Proxy proxy) {
		if (StringUtils.hasText(proxy.getHost())) {
			if (proxy.getPort() < 1 || proxy.getPort() > 65535) {
				problems.add("aep.streaming.proxy.port must be between 1 and 65535, but was " + proxy.getPort());
			}
		}
		else if (proxy.getUsername() != null || proxy.getPassword() != null) {
			problems.add("aep.streaming.proxy.username or aep.streaming.proxy.password is set, but "
					+ "aep.streaming.proxy.host is not; set the proxy's host, or remove its credentials");
		}
		if (proxy.getPassword() != null && !StringUtils.hasText(proxy.getUsername())) {
			problems.add("aep.streaming.proxy.password is set without aep.streaming.proxy.username; the proxy's "
					+ "basic authentication needs both");
		}
		List<String> nonProxyHosts = proxy.getNonProxyHosts();
		if (nonProxyHosts != null) {
			for (int i = 0; i < nonProxyHosts.size(); i++) {
				if (!StringUtils.hasText(nonProxyHosts.get(i))) {
					problems.add("aep.streaming.proxy.non-proxy-hosts[" + i + "] is blank; list host names or "
							+ "patterns such as '*.internal.example.com'");
				}
			}
		}
	}

	private static void validateDelivery(List<String> problems, AepStreamingProperties properties) {
		requireAtLeast(problems, properties.getMaxInFlight(), 1, "aep.streaming.max-in-flight");
		AepStreamingProperties.Retry retry = properties.getRetry();
		requireAtLeast(problems, retry.getMaxAttempts(), 1, "aep.streaming.retry.max-attempts");
		requirePositive(problems, retry.getInitialBackoff(), "aep.streaming.retry.initial-backoff");
		requirePositive(problems, retry.getMaxBackoff(), "aep.streaming.retry.max-backoff");
		requirePositive(problems, retry.getMaxDuration(), "aep.streaming.retry.max-duration");
		if (retry.getInitialBackoff() != null && retry.getMaxBackoff() != null
				&& retry.getMaxBackoff().compareTo(retry.getInitialBackoff()) < 0) {
			problems
				.add("aep.streaming.retry.max-backoff must not be shorter than aep.streaming.retry.initial-backoff");
		}
		if (retry.getMultiplier() < 1) {
			problems.add("aep.streaming.retry.multiplier must be at least 1, but was " + retry.getMultiplier());
		}
		AepStreamingProperties.CircuitBreaker circuitBreaker = properties.getCircuitBreaker();
		if (circuitBreaker.getFailureRateThreshold() <= 0 || circuitBreaker.getFailureRateThreshold() > 100) {
			problems.add("aep.streaming.circuit-breaker.failure-rate-threshold must be a percentage above 0 and at "
					+ "most 100, but was " + circuitBreaker.getFailureRateThreshold());
		}
		requireAtLeast(problems, circuitBreaker.getSlidingWindowSize(), 1,
				"aep.streaming.circuit-breaker.sliding-window-size");
		requireAtLeast(problems, circuitBreaker.getMinimumNumberOfCalls(), 1,
				"aep.streaming.circuit-breaker.minimum-number-of-calls");
		requirePositive(problems, circuitBreaker.getWaitDurationInOpenState(),
				"aep.streaming.circuit-breaker.wait-duration-in-open-state");
		requireAtLeast(problems, circuitBreaker.getPermittedCallsInHalfOpenState(), 1,
				"aep.streaming.circuit-breaker.permitted-calls-in-half-open-state");
		requireAtLeast(problems, properties.getRateLimit().getRequestsPerSecond(), 1,
				"aep.streaming.rate-limit.requests-per-second");
		requireNotNegative(problems, properties.getRateLimit().getMaxWait(), "aep.streaming.rate-limit.max-wait");
		AepStreamingProperties.Batch batch = properties.getBatch();
		requireAtLeast(problems, batch.getMaxMessages(), 1, "aep.streaming.batch.max-messages");
		long maxBytes = (batch.getMaxBytes() != null) ? batch.getMaxBytes().toBytes() : 0;
		if (maxBytes < 1 || maxBytes > StreamingMessageWriter.MAX_REQUEST_BYTES) {
			problems
				.add("aep.streaming.batch.max-bytes must be between 1B and " + StreamingMessageWriter.MAX_REQUEST_BYTES
						+ "B (AEP's limit per request), but was " + batch.getMaxBytes());
		}
		requirePositive(problems, batch.getLinger(), "aep.streaming.batch.linger");
		requireAtLeast(problems, batch.getMaxConcurrentRequests(), 1, "aep.streaming.batch.max-concurrent-requests");
		requireAtLeast(problems, properties.getBuffer().getCapacity(), 1, "aep.streaming.buffer.capacity");
		requireNotNegative(problems, properties.getBuffer().getMaxWait(), "aep.streaming.buffer.max-wait");
		requireNotNegative(problems, properties.getShutdown().getTimeout(), "aep.streaming.shutdown.timeout");
	}

	private static void requireAtLeast(List<String> problems, int value, int minimum, String property) {
		if (value < minimum) {
			problems.add(property + " must be at least " + minimum + ", but was " + value);
		}
	}

	private static void requireNotNegative(List<String> problems, Duration value, String property) {
		if (value == null || value.isNegative()) {
			problems.add(property + " must not be negative, but was " + value);
		}
	}

	/**
	 * Name where a connection detail comes from: its property when the details are the
	 * properties, otherwise the method of the application's own
	 * {@link AepStreamingConnectionDetails} bean, since setting the property would change
	 * nothing.
	 */
	private static String source(AepStreamingConnectionDetails details, String property, String method) {
		if (details instanceof PropertiesAepStreamingConnectionDetails) {
			return property;
		}
		return method + "() of the AepStreamingConnectionDetails bean (" + details.getClass().getName()
				+ ", used instead of " + property + ")";
	}

	private static void requireText(List<String> problems, String value, String property) {
		requireText(problems, value, property, "");
	}

	private static void requireText(List<String> problems, String value, String property, String hint) {
		if (!StringUtils.hasText(value)) {
			problems.add(property + " must be set" + hint);
		}
	}

	private static void requirePositive(List<String> problems, Duration value, String property) {
		if (value == null || value.isNegative() || value.isZero()) {
			problems.add(property + " must be a positive duration, but was " + value);
		}
	}

	private static void checkUrl(List<String> problems, String value, String property, boolean allowInsecureHttp) {
		if (!StringUtils.hasText(value)) {
			problems.add(property + " must be set");
			return;
		}
		URI uri;
		try {
			uri = new URI(value.trim());
		}
		catch (URISyntaxException ex) {
			problems.add(property + " is not a valid URL: " + ex.getMessage());
			return;
		}
		String scheme = uri.getScheme();
		if (uri.getHost() == null || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
			problems.add(property + " must be an absolute http or https URL, but was '" + value + "'");
		}
		else if ("http".equalsIgnoreCase(scheme) && !allowInsecureHttp && !isLoopback(uri.getHost())) {
			problems.add(property + " uses plain http to '" + uri.getHost() + "', which would send the client secret "
					+ "and tokens in clear; use https, or set aep.streaming.allow-insecure-http=true if the network "
					+ "is trusted");
		}
	}

	static boolean isLoopback(String host) {
		String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		return "localhost".equalsIgnoreCase(bare) || IPV4_LOOPBACK.matcher(bare).matches() || "::1".equals(bare)
				|| "0:0:0:0:0:0:0:1".equals(bare);
	}

}
