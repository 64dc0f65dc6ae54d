package dev.aepstreaming.autoconfigure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLException;

import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingTransportException;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that the token and the streaming endpoint are reached over TLS with the trust
 * material and the client certificate of the SSL bundle named by
 * {@code aep.streaming.ssl.bundle}, against a loopback server whose certificate is
 * self-signed.
 *
 * @author aep-streaming
 */
class AepStreamingTlsTests {

	private static final HeldCertificate SERVER_CERTIFICATE = new HeldCertificate.Builder().commonName("localhost")
		.addSubjectAlternativeName("localhost")
		.build();

	private static final HeldCertificate CLIENT_CERTIFICATE = new HeldCertificate.Builder()
		.commonName("aep-streaming-client")
		.build();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private MockWebServer server;

	@BeforeEach
	void startHttpsServer() throws IOException {
		this.server = new MockWebServer();
		this.server.useHttps(new HandshakeCertificates.Builder().heldCertificate(SERVER_CERTIFICATE)
			.addTrustedCertificate(CLIENT_CERTIFICATE.certificate())
			.build()
			.sslSocketFactory(), false);
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) {
				AepStreamingTlsTests.this.requests.add(request);
				return AepTestServers.TOKEN_PATH.equals(request.getPath())
						? AepTestServers.json(200,
								"{\"access_token\":\"eyJ.tls\",\"token_type\":\"bearer\",\"expires_in\":86399}")
						: AepTestServers.accepted();
			}

		});
		this.server.start();
	}

	@AfterEach
	void stopServer() throws IOException {
		this.server.shutdown();
	}

	@Test
	void tokenRequestsAndSendsSucceedOverHttpsWithTheBundle() {
		contextRunner().withPropertyValues(trustingBundle()).run((context) -> {
			assertThat(context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1")).statusCode())
				.isEqualTo(200);
			assertThat(this.requests).extracting(RecordedRequest::getPath)
				.containsExactly(AepTestServers.TOKEN_PATH, "/collection/conn-tls");
			assertThat(this.requests).allSatisfy((request) -> assertThat(request.getHandshake()).isNotNull());
		});
	}

	@Test
	void withoutTheBundleTheTokenRequestFailsTheTlsHandshake() {
		contextRunner().run((context) -> assertThatExceptionOfType(ImsTokenException.class)
			.isThrownBy(() -> context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1")))
			.satisfies((ex) -> assertThat(causes(ex)).anyMatch(SSLException.class::isInstance)));
		assertThat(this.requests).isEmpty();
	}

	@Test
	void withoutTheBundleSendsFailWithATlsException() {
		contextRunner().withPropertyValues("aep.streaming.authenticated=false")
			.run((context) -> assertThatExceptionOfType(StreamingTransportException.class)
				.isThrownBy(() -> context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1")))
				.satisfies((ex) -> {
					assertThat(causes(ex)).anyMatch(SSLException.class::isInstance);
					assertThat(ex.getMessage()).contains("conn-tls").containsIgnoringCase("certification path");
				}));
		assertThat(this.requests).isEmpty();
	}

	@Test
	void theBundlesClientCertificateIsPresentedWhenTheServerRequiresOne() {
		this.server.requireClientAuth();
		contextRunner()
			.withPropertyValues(trustingBundle(
					"spring.ssl.bundle.pem.aep.keystore.certificate=" + CLIENT_CERTIFICATE.certificatePem(),
					"spring.ssl.bundle.pem.aep.keystore.private-key=" + CLIENT_CERTIFICATE.privateKeyPkcs8Pem()))
			.run((context) -> {
				context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1"));
				assertThat(this.requests).hasSize(2)
					.allSatisfy((request) -> assertThat(request.getHandshake().peerPrincipal().getName())
						.isEqualTo("CN=aep-streaming-client"));
			});
	}

	@Test
	void withoutAClientCertificateAServerThatRequiresOneRefusesTheConnection() {
		this.server.requireClientAuth();
		contextRunner().withPropertyValues(trustingBundle("aep.streaming.authenticated=false"))
			.run((context) -> assertThatExceptionOfType(StreamingTransportException.class)
				.isThrownBy(() -> context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1"))));
		assertThat(this.requests).isEmpty();
	}

	@Test
	void theBundlesProtocolsAreHonoured() {
		contextRunner()
			.withPropertyValues(trustingBundle("aep.streaming.authenticated=false",
					"spring.ssl.bundle.pem.aep.options.enabled-protocols=TLSv1.2"))
			.run((context) -> {
				context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-1"));
				assertThat(this.requests).singleElement()
					.satisfies((request) -> assertThat(request.getHandshake().tlsVersion().javaName())
						.isEqualTo("TLSv1.2"));
			});
	}

	private ApplicationContextRunner contextRunner() {
		String baseUrl = "https://localhost:" + this.server.getPort();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					SslAutoConfiguration.class, AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.base-url=" + baseUrl, "aep.streaming.connection-id=conn-tls",
					"aep.streaming.ims.token-uri=" + baseUrl + AepTestServers.TOKEN_PATH,
					"aep.streaming.ims.client-id=client-tls", "aep.streaming.ims.client-secret=secret-tls",
					"aep.streaming.ims.org-id=TLS@AdobeOrg", "aep.streaming.retry.enabled=false",
					"aep.streaming.xdm.schema-id=https://ns.adobe.com/tls/schemas/1",
					"aep.streaming.xdm.dataset-id=dataset-tls", "aep.streaming.flow-id=flow-tls");
	}

	private static String[] trustingBundle(String... more) {
		String[] properties = new String[more.length + 2];
		properties[0] = "aep.streaming.ssl.bundle=aep";
		properties[1] = "spring.ssl.bundle.pem.aep.truststore.certificate=" + SERVER_CERTIFICATE.certificatePem();
		System.arraycopy(more, 0, properties, 2, more.length);
		return properties;
	}

	private static List<Throwable> causes(Throwable ex) {
		List<Throwable> causes = new ArrayList<>();
		for (Throwable candidate = ex; candidate != null; candidate = candidate.getCause()) {
			causes.add(candidate);
		}
		return causes;
	}

}
