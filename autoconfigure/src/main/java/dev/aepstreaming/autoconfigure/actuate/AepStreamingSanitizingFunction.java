package dev.aepstreaming.autoconfigure.actuate;

import java.util.Locale;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the client secrets and the proxy password of {@code aep.streaming} in Actuator's
 * {@code env} and {@code configprops} endpoints, in whatever form their keys take there
 * ({@code aep.streaming.ims.client-secret}, {@code aep.streaming.ims.clientSecret},
 * {@code AEP_STREAMING_IMS_CLIENT_SECRET}, {@code aep.streaming.proxy.password}), even
 * where an application shows values with {@code show-values=always}. Other keys are left
 * as they are.
 *
 * @author aep-streaming
 */
final class AepStreamingSanitizingFunction implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		return isSecret(data.getKey()) ? data.withSanitizedValue() : data;
	}

	static boolean isSecret(String key) {
		String normalized = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
		return normalized.startsWith("aepstreaming")
				&& (normalized.endsWith("clientsecret") || normalized.endsWith("proxypassword"));
	}

}
