package dev.aepstreaming.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that Actuator's {@code env} and {@code configprops} endpoints never show the
 * client secret or the proxy password, even where an application shows their values.
 *
 * @author aep-streaming
 */
class ActuatorShowsNoSecretTests {

	private static final String SECRET = "p8e-ActuatorMustNotShowThis";

	private static final String PROXY_PASSWORD = "proxy-ActuatorMustNotShowThis";

	@ParameterizedTest
	@ValueSource(strings = { "never", "when-authorized", "always" })
	void envAndConfigpropsDoNotShowTheClientSecretOrTheProxyPassword(String showValues) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ActuatorApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "management.endpoints.web.exposure.include=env,configprops",
					"management.endpoint.env.show-values=" + showValues,
					"management.endpoint.configprops.show-values=" + showValues,
					"aep.streaming.base-url=http://localhost:1", "aep.streaming.connection-id=conn-1",
					"aep.streaming.ims.token-uri=http://localhost:1/ims/token/v3",
					"aep.streaming.ims.client-id=client-1", "aep.streaming.ims.client-secret=" + SECRET,
					"aep.streaming.ims.org-id=ORG@AdobeOrg", "aep.streaming.proxy.host=127.0.0.1",
					"aep.streaming.proxy.username=proxy-user", "aep.streaming.proxy.password=" + PROXY_PASSWORD)
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			String env = get(port, "/actuator/env");
			String configprops = get(port, "/actuator/configprops");
			assertThat(env).contains("aep.streaming.ims.client-secret")
				.contains("aep.streaming.proxy.password")
				.doesNotContain(SECRET)
				.doesNotContain(PROXY_PASSWORD);
			assertThat(configprops).contains("aep.streaming").doesNotContain(SECRET).doesNotContain(PROXY_PASSWORD);
			if ("always".equals(showValues)) {
				assertThat(env).as("other values are shown").contains("client-1").contains("proxy-user");
				assertThat(configprops).as("other values are shown").contains("proxy-user");
			}
		}
	}

	private static String get(int port, String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ActuatorApplication {

	}

}
