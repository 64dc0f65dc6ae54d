package dev.aepstreaming.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that bad network settings (timeouts, proxy, SSL bundle) fail startup with a
 * problem that names the property to fix.
 *
 * @author aep-streaming
 */
class AepStreamingNetworkConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				SslAutoConfiguration.class, AepStreamingAutoConfiguration.class))
		.withPropertyValues("aep.streaming.base-url=http://localhost:1", "aep.streaming.connection-id=conn-1",
				"aep.streaming.ims.token-uri=http://localhost:1/ims/token/v3", "aep.streaming.ims.client-id=client-1",
				"aep.streaming.ims.client-secret=secret-1", "aep.streaming.ims.org-id=ORG1@AdobeOrg");

	@Test
	void validNetworkSettingsStart() {
		this.contextRunner
			.withPropertyValues("aep.streaming.read-timeout=5s", "aep.streaming.proxy.host=proxy.example.com",
					"aep.streaming.proxy.port=3128", "aep.streaming.proxy.username=user",
					"aep.streaming.proxy.password=pass", "aep.streaming.proxy.non-proxy-hosts=*.internal,localhost")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void whenTheReadTimeoutIsNotPositiveThenStartupFailsNamingIt() {
		this.contextRunner.withPropertyValues("aep.streaming.read-timeout=0s")
			.run((context) -> assertThat(problems(context))
				.anyMatch((problem) -> problem.startsWith("aep.streaming.read-timeout must be a positive duration")));
	}

	@Test
	void whenTheProxyPortIsOutOfRangeThenStartupFailsNamingIt() {
		this.contextRunner
			.withPropertyValues("aep.streaming.proxy.host=proxy.example.com", "aep.streaming.proxy.port=0")
			.run((context) -> assertThat(problems(context)).anyMatch((problem) -> problem
				.startsWith("aep.streaming.proxy.port must be between 1 and 65535, but was 0")));
	}

	@Test
	void whenProxyCredentialsAreSetWithoutAHostThenStartupFailsNamingTheHost() {
		this.contextRunner.withPropertyValues("aep.streaming.proxy.username=user", "aep.streaming.proxy.password=pass")
			.run((context) -> assertThat(problems(context)).anyMatch(
					(problem) -> problem.startsWith("aep.streaming.proxy.username or aep.streaming.proxy.password")
							&& problem.contains("aep.streaming.proxy.host is not")));
	}

	@Test
	void whenAProxyPasswordIsSetWithoutAUsernameThenStartupFailsNamingTheUsername() {
		this.contextRunner
			.withPropertyValues("aep.streaming.proxy.host=proxy.example.com", "aep.streaming.proxy.password=pass")
			.run((context) -> assertThat(problems(context)).anyMatch((problem) -> problem
				.startsWith("aep.streaming.proxy.password is set without aep.streaming.proxy.username")));
	}

	@Test
	void whenANonProxyHostIsBlankThenStartupFailsNamingTheEntry() {
		this.contextRunner
			.withPropertyValues("aep.streaming.proxy.host=proxy.example.com",
					"aep.streaming.proxy.non-proxy-hosts[0]=*.internal", "aep.streaming.proxy.non-proxy-hosts[1]= ")
			.run((context) -> assertThat(problems(context))
				.anyMatch((problem) -> problem.startsWith("aep.streaming.proxy.non-proxy-hosts[1] is blank")));
	}

	@Test
	void whenTheSslBundleIsNotConfiguredThenStartupFailsNamingThePropertyAndTheBundle() {
		this.contextRunner.withPropertyValues("aep.streaming.ssl.bundle=missing-bundle")
			.run((context) -> assertThat(problems(context)).singleElement()
				.satisfies((problem) -> assertThat(problem).startsWith("aep.streaming.ssl.bundle")
					.contains("'missing-bundle'")
					.contains("spring.ssl.bundle.pem.missing-bundle")));
	}

	@Test
	void whenAnSslBundleIsNamedWithoutSslBundlesThenStartupFailsNamingTheProperty() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(JacksonAutoConfiguration.class, AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.base-url=http://localhost:1", "aep.streaming.connection-id=conn-1",
					"aep.streaming.authenticated=false", "aep.streaming.ssl.bundle=aep")
			.run((context) -> assertThat(problems(context)).singleElement()
				.satisfies((problem) -> assertThat(problem).startsWith("aep.streaming.ssl.bundle")
					.contains("'aep'")
					.contains("no SslBundles bean")));
	}

	private static List<String> problems(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		for (Throwable candidate = context.getStartupFailure(); candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof InvalidAepStreamingConfigurationException invalid) {
				return invalid.getProblems();
			}
		}
		throw new AssertionError("No InvalidAepStreamingConfigurationException in " + context.getStartupFailure());
	}

}
