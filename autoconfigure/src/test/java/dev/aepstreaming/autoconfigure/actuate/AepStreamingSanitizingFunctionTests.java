package dev.aepstreaming.autoconfigure.actuate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.actuate.endpoint.SanitizableData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AepStreamingSanitizingFunction}.
 *
 * @author aep-streaming
 */
class AepStreamingSanitizingFunctionTests {

	private final AepStreamingSanitizingFunction function = new AepStreamingSanitizingFunction();

	@ParameterizedTest
	@ValueSource(strings = { "aep.streaming.ims.client-secret", "aep.streaming.ims.clientSecret",
			"AEP_STREAMING_IMS_CLIENT_SECRET", "aep.streaming.ims.client_secret" })
	void masksTheClientSecretInEveryFormOfItsKey(String key) {
		assertThat(this.function.apply(new SanitizableData(null, key, "secret-value")).getValue())
			.isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "aep.streaming.proxy.password", "aep.streaming.proxy.Password",
			"AEP_STREAMING_PROXY_PASSWORD", "aep.streaming.proxy_password" })
	void masksTheProxyPasswordInEveryFormOfItsKey(String key) {
		assertThat(this.function.apply(new SanitizableData(null, key, "proxy-pass")).getValue())
			.isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "aep.streaming.ims.client-id", "aep.streaming.proxy.username", "aep.streaming.proxy.host",
			"spring.data.redis.password", "spring.security.oauth2.client.registration.x.client-secret",
			"aep.streaming.connection-id" })
	void leavesOtherKeysAlone(String key) {
		assertThat(this.function.apply(new SanitizableData(null, key, "value")).getValue()).isEqualTo("value");
	}

}
