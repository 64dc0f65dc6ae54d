package dev.aepstreaming.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

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
		requireText(problems, details.getConnectionId(), "aep.streaming.connection-id");
		requireText(problems, properties.getSandboxName(), "aep.streaming.sandbox-name");
		checkUrl(problems, details.getBaseUrl(), "aep.streaming.base-url", properties.isAllowInsecureHttp());
		requirePositive(problems, properties.getConnectTimeout(), "aep.streaming.connect-timeout");
		requirePositive(problems, properties.getResponseTimeout(), "aep.streaming.response-timeout");
		if (properties.isAuthenticated()) {
			validateIms(problems, properties, details);
		}
		if (!problems.isEmpty()) {
			throw new InvalidAepStreamingConfigurationException(problems);
		}
	}

	private static void validateIms(List<String> problems, AepStreamingProperties properties,
			AepStreamingConnectionDetails details) {
		String hint = " (required because aep.streaming.authenticated is true)";
		requireText(problems, details.getClientId(), "aep.streaming.ims.client-id", hint);
		requireText(problems, details.getClientSecret(), "aep.streaming.ims.client-secret", hint);
		requireText(problems, details.getOrgId(), "aep.streaming.ims.org-id", hint);
		if (details.getScopes() == null || details.getScopes().stream().noneMatch(StringUtils::hasText)) {
			problems.add("aep.streaming.ims.scopes must list at least one scope");
		}
		checkUrl(problems, details.getTokenUri(), "aep.streaming.ims.token-uri", properties.isAllowInsecureHttp());
		AepStreamingProperties.Ims ims = properties.getIms();
		requirePositive(problems, ims.getRefreshBeforeExpiry(), "aep.streaming.ims.refresh-before-expiry");
		requirePositive(problems, ims.getTokenRequestTimeout(), "aep.streaming.ims.token-request-timeout");
		requirePositive(problems, ims.getInitialRetryBackoff(), "aep.streaming.ims.initial-retry-backoff");
		requirePositive(problems, ims.getMaxRetryBackoff(), "aep.streaming.ims.max-retry-backoff");
		if (ims.getMinReauthenticationInterval() == null || ims.getMinReauthenticationInterval().isNegative()) {
			problems.add("aep.streaming.ims.min-reauthentication-interval must not be negative");
		}
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
