package dev.aepstreaming.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.aepstreaming.StreamingTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that adding the starter changes nothing else in a host application: no default
 * web security lock-down and no generated password, in Spring MVC and in WebFlux.
 *
 * @author aep-streaming
 */
@ExtendWith(OutputCaptureExtension.class)
class HostApplicationIsolationTests {

	@Test
	void starterDoesNotBringSpringSecurityConfiguration() {
		assertThat(ClassUtils
			.isPresent("org.springframework.security.config.annotation.web.configuration.EnableWebSecurity", null))
			.isFalse();
		assertThat(ClassUtils.isPresent(
				"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
				null))
			.isFalse();
	}

	@Test
	void springMvcApplicationStillAnswersItsOwnEndpointsWithoutAuthentication(CapturedOutput output) throws Exception {
		assertHostAnswersWithoutAuthentication(WebApplicationType.SERVLET, output);
	}

	@Test
	void webFluxApplicationStillAnswersItsOwnEndpointsWithoutAuthentication(CapturedOutput output) throws Exception {
		assertHostAnswersWithoutAuthentication(WebApplicationType.REACTIVE, output);
	}

	private void assertHostAnswersWithoutAuthentication(WebApplicationType type, CapturedOutput output)
			throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HostApplication.class).web(type)
			.properties("server.port=0", "aep.streaming.base-url=http://localhost:1",
					"aep.streaming.connection-id=conn-1", "aep.streaming.ims.token-uri=http://localhost:1/ims/token/v3",
					"aep.streaming.ims.client-id=client-1", "aep.streaming.ims.client-secret=secret-1",
					"aep.streaming.ims.org-id=ORG@AdobeOrg")
			.run()) {
			assertThat(context.getBean(StreamingTemplate.class)).isNotNull();
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hello"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("hello from the host");
			assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
		}
		assertThat(output).doesNotContain("Using generated security password").doesNotContain("secret-1");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@RestController
	static class HostApplication {

		@GetMapping("/hello")
		String hello() {
			return "hello from the host";
		}

	}

}
