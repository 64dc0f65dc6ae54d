package dev.aepstreaming.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingTransportException;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.test.ConnectProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that the token requests and the sends go through the HTTP proxy of
 * {@code aep.streaming.proxy}, with its credentials, except to the hosts it bypasses. The
 * IMS endpoint is addressed as {@code localhost} and the streaming endpoint as
 * {@code 127.0.0.1}, so that the proxy's record tells the two apart.
 *
 * @author aep-streaming
 */
@ExtendWith(OutputCaptureExtension.class)
class AepStreamingProxyTests {

	private static final String SECRET = "p8e-ProxyTestsSecret";

	private static final String ORG_ID = "PROXY000000000000000@AdobeOrg";

	private static final String PROXY_USER = "proxy-user";

	private static final String PROXY_PASSWORD = "pr0xy-Pa55word-7c1e";

	private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

	private AepEmulator emulator;

	private ConnectProxy proxy;

	@BeforeEach
	void startEmulator() {
		this.emulator = AepEmulator.builder()
			.credential("client-proxy", SECRET, ORG_ID, "openid", "AdobeID")
			.unauthenticatedConnection("conn-open")
			.build()
			.start();
	}

	@AfterEach
	void stopServers() {
		this.loggingSystem.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
		if (this.proxy != null) {
			this.proxy.close();
		}
		this.emulator.close();
	}

	@Test
	void tokenRequestsAndSendsGoThroughTheProxy() {
		this.proxy = ConnectProxy.start();
		contextRunner().withPropertyValues(proxyProperties()).run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			assertThat(template.send(Map.of("_id", "event-1")).statusCode()).isEqualTo(200);
			assertThat(this.proxy.tunnels()).containsOnly(imsTarget(), streamingTarget())
				.contains(imsTarget(), streamingTarget());
			assertThat(this.emulator.recorder().tokenRequestCount()).isOne();
			assertThat(this.emulator.recorder().acceptedMessageCount()).isOne();
		});
	}

	@Test
	void proxyCredentialsAreSentToAProxyThatRequiresThem() {
		this.proxy = ConnectProxy.requiringCredentials(PROXY_USER, PROXY_PASSWORD);
		contextRunner()
			.withPropertyValues(proxyProperties("aep.streaming.proxy.username=" + PROXY_USER,
					"aep.streaming.proxy.password=" + PROXY_PASSWORD))
			.run((context) -> {
				context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1"));
				assertThat(this.proxy.refusals()).isEmpty();
				assertThat(this.proxy.tunnels()).contains(imsTarget(), streamingTarget());
			});
	}

	@Test
	void aWrongProxyPasswordFailsTheTokenRequestClearlyAndIsNeverShown(CapturedOutput output) {
		this.proxy = ConnectProxy.requiringCredentials(PROXY_USER, "the-right-one");
		this.loggingSystem.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.TRACE);
		contextRunner()
			.withPropertyValues(proxyProperties("aep.streaming.proxy.username=" + PROXY_USER,
					"aep.streaming.proxy.password=" + PROXY_PASSWORD))
			.run((context) -> {
				assertThatExceptionOfType(ImsTokenException.class)
					.isThrownBy(() -> context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1")))
					.satisfies((ex) -> {
						assertThat(ex.getMessage()).contains("407");
						assertRevealsNoProxyPassword(ex);
					});
				assertThat(context.getBean(AepStreamingProperties.class).getProxy().toString()).contains(PROXY_USER)
					.doesNotContain(PROXY_PASSWORD);
			});
		assertThat(this.proxy.refusals()).contains(imsTarget());
		assertThat(this.proxy.tunnels()).isEmpty();
		assertThat(output.getAll()).contains("TRACE").doesNotContain(PROXY_PASSWORD);
	}

	@Test
	void aWrongProxyPasswordFailsSendsWithoutRetryNamingTheProperties(CapturedOutput output) {
		this.proxy = ConnectProxy.requiringCredentials(PROXY_USER, "the-right-one");
		this.loggingSystem.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.TRACE);
		contextRunner()
			.withPropertyValues(proxyProperties("aep.streaming.authenticated=false",
					"aep.streaming.connection-id=conn-open", "aep.streaming.proxy.username=" + PROXY_USER,
					"aep.streaming.proxy.password=" + PROXY_PASSWORD))
			.run((context) -> assertThatExceptionOfType(StreamingTransportException.class)
				.isThrownBy(() -> context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1")))
				.satisfies((ex) -> {
					assertThat(ex.getMessage()).contains("407")
						.contains("aep.streaming.proxy.username")
						.contains("aep.streaming.proxy.password");
					assertThat(ex.isRetryable()).isFalse();
					assertRevealsNoProxyPassword(ex);
				}));
		assertThat(this.proxy.refusals()).containsExactly(streamingTarget());
		assertThat(output.getAll()).contains("TRACE").doesNotContain(PROXY_PASSWORD);
	}

	@Test
	void nonProxyHostsAreReachedDirectly() {
		this.proxy = ConnectProxy.start();
		contextRunner().withPropertyValues(proxyProperties("aep.streaming.proxy.non-proxy-hosts=local*,*.internal"))
			.run((context) -> {
				context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1"));
				assertThat(this.proxy.tunnels()).isNotEmpty().containsOnly(streamingTarget());
				assertThat(this.emulator.recorder().tokenRequestCount()).isOne();
			});
	}

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.connection-id=conn-proxy", "aep.streaming.flow-id=flow-proxy",
					"aep.streaming.base-url=" + this.emulator.baseUrl(),
					"aep.streaming.ims.token-uri=http://localhost:" + this.emulator.port() + "/ims/token/v3",
					"aep.streaming.ims.client-id=client-proxy", "aep.streaming.ims.client-secret=" + SECRET,
					"aep.streaming.ims.org-id=" + ORG_ID, "aep.streaming.ims.scopes=openid,AdobeID",
					"aep.streaming.xdm.schema-id=https://ns.adobe.com/proxy/schemas/1",
					"aep.streaming.xdm.dataset-id=dataset-proxy", "aep.streaming.retry.max-attempts=2",
					"aep.streaming.retry.initial-backoff=10ms", "aep.streaming.retry.max-backoff=20ms");
	}

	private String[] proxyProperties(String... more) {
		List<String> properties = new ArrayList<>(List.of("aep.streaming.proxy.host=" + this.proxy.host(),
				"aep.streaming.proxy.port=" + this.proxy.port()));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	private String imsTarget() {
		return "localhost:" + this.emulator.port();
	}

	private String streamingTarget() {
		return "127.0.0.1:" + this.emulator.port();
	}

	private static void assertRevealsNoProxyPassword(Throwable ex) {
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			assertThat(String.valueOf(candidate.getMessage())).doesNotContain(PROXY_PASSWORD);
			assertThat(candidate.toString()).doesNotContain(PROXY_PASSWORD);
		}
	}

}
