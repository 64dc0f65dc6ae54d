package dev.aepstreaming.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.aepstreaming.AepTestServers;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingTimeoutException;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that the connect, read and response timeouts of {@code aep.streaming} bound the
 * exchanges with the streaming endpoint, each failure naming the property to raise.
 *
 * @author aep-streaming
 */
class AepStreamingTimeoutsTests {

	private static final String ANSWER = "{\"inletId\":\"conn-t\",\"xactionId\":\"x\",\"receivedTimeMs\":1}";

	private MockWebServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = new MockWebServer();
		this.server.start();
	}

	@AfterEach
	void stopServer() throws IOException {
		this.server.shutdown();
	}

	@Test
	void aServerThatSendsHeadersAndThenStallsHitsTheReadTimeout() {
		this.server.enqueue(AepTestServers.json(200, ANSWER).setBodyDelay(3, TimeUnit.SECONDS));
		contextRunner("http://localhost:" + this.server.getPort())
			.withPropertyValues("aep.streaming.read-timeout=300ms", "aep.streaming.response-timeout=10s")
			.run((context) -> assertThatExceptionOfType(StreamingTimeoutException.class).isThrownBy(
					() -> context.getBean(StreamingTemplate.class).send(StreamingMessage.raw(Map.of("_id", "event-1"))))
				.withMessageContaining("aep.streaming.read-timeout")
				.withMessageNotContaining("aep.streaming.response-timeout"));
	}

	@Test
	void aServerThatTricklesItsAnswerHitsTheResponseTimeout() {
		// A byte every 100 ms keeps every pause under the read timeout; the whole answer
		// takes several seconds.
		this.server.enqueue(AepTestServers.json(200, ANSWER).throttleBody(1, 100, TimeUnit.MILLISECONDS));
		contextRunner("http://localhost:" + this.server.getPort())
			.withPropertyValues("aep.streaming.read-timeout=1s", "aep.streaming.response-timeout=700ms")
			.run((context) -> {
				long start = System.nanoTime();
				assertThatExceptionOfType(StreamingTimeoutException.class)
					.isThrownBy(() -> context.getBean(StreamingTemplate.class)
						.send(StreamingMessage.raw(Map.of("_id", "event-1"))))
					.withMessageContaining("aep.streaming.response-timeout")
					.withMessageContaining("700 ms")
					.satisfies((ex) -> assertThat(ex.isRetryable()).isTrue());
				assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
			});
	}

	@Test
	void anAnswerWithinBothTimeoutsIsDelivered() {
		this.server.enqueue(AepTestServers.json(200, ANSWER).throttleBody(16, 50, TimeUnit.MILLISECONDS));
		contextRunner("http://localhost:" + this.server.getPort())
			.withPropertyValues("aep.streaming.read-timeout=1s", "aep.streaming.response-timeout=5s")
			.run((context) -> assertThat(context.getBean(StreamingTemplate.class)
				.send(StreamingMessage.raw(Map.of("_id", "event-1")))
				.statusCode()).isEqualTo(200));
	}

	@Test
	void aServerThatDoesNotAcceptConnectionsHitsTheConnectTimeout() throws IOException {
		// A listening socket that never accepts, its backlog filled: Linux then drops
		// further SYNs, so a connection attempt hangs until the client gives up.
		try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			List<Socket> fillers = fillBacklog(listener);
			try {
				Assumptions.assumeTrue(hangs(listener),
						"the platform refuses rather than drops when the backlog is full");
				contextRunner("http://127.0.0.1:" + listener.getLocalPort())
					.withPropertyValues("aep.streaming.connect-timeout=300ms")
					.run((context) -> assertThatExceptionOfType(StreamingTimeoutException.class)
						.isThrownBy(() -> context.getBean(StreamingTemplate.class)
							.send(StreamingMessage.raw(Map.of("_id", "event-1"))))
						.withMessageContaining("aep.streaming.connect-timeout"));
			}
			finally {
				for (Socket filler : fillers) {
					filler.close();
				}
			}
		}
	}

	private static List<Socket> fillBacklog(ServerSocket listener) {
		List<Socket> fillers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Socket socket = new Socket();
			fillers.add(socket);
			try {
				socket.connect(listener.getLocalSocketAddress(), 100);
			}
			catch (IOException ex) {
				return fillers;
			}
		}
		return fillers;
	}

	private static boolean hangs(ServerSocket listener) {
		try (Socket probe = new Socket()) {
			probe.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort()), 200);
			return false;
		}
		catch (SocketTimeoutException ex) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private ApplicationContextRunner contextRunner(String baseUrl) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.authenticated=false", "aep.streaming.connection-id=conn-t",
					"aep.streaming.base-url=" + baseUrl, "aep.streaming.retry.enabled=false",
					"aep.streaming.circuit-breaker.enabled=false");
	}

}
