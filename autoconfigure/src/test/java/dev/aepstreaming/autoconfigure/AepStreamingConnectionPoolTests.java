package dev.aepstreaming.autoconfigure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingTemplate;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the streaming endpoint gets as many connections as requests may be in
 * flight, more than Reactor Netty's shared pool holds on a small machine, and that they
 * are spread over Reactor Netty's event loops.
 *
 * @author aep-streaming
 */
class AepStreamingConnectionPoolTests {

	private static final int CONCURRENT = 40;

	private final CountDownLatch allArrived = new CountDownLatch(CONCURRENT);

	private final CountDownLatch tokenGate = new CountDownLatch(1);

	private MockWebServer server;

	@BeforeEach
	void startServer() throws IOException {
		this.server = new MockWebServer();
		this.server.setDispatcher(new Dispatcher() {

			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				if (request.getPath().startsWith("/ims/token/v3")) {
					boolean released = AepStreamingConnectionPoolTests.this.tokenGate.await(10, TimeUnit.SECONDS);
					return new MockResponse().setResponseCode(released ? 200 : 500)
						.setHeader("Content-Type", "application/json")
						.setBody("{\"access_token\":\"pool-test-token\",\"token_type\":\"bearer\","
								+ "\"expires_in\":86399}");
				}
				AepStreamingConnectionPoolTests.this.allArrived.countDown();
				boolean together = AepStreamingConnectionPoolTests.this.allArrived.await(10, TimeUnit.SECONDS);
				return new MockResponse().setResponseCode(together ? 200 : 500)
					.setHeader("Content-Type", "application/json")
					.setBody("{\"inletId\":\"conn\",\"xactionId\":\"x\",\"receivedTimeMs\":1}");
			}

		});
		this.server.start();
	}

	@AfterEach
	void stopServer() throws IOException {
		this.server.shutdown();
	}

	@Test
	void requestsUpToMaxInFlightAreOnTheWireTogether() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.authenticated=false", "aep.streaming.connection-id=conn",
					"aep.streaming.base-url=http://localhost:" + this.server.getPort(),
					"aep.streaming.max-in-flight=" + CONCURRENT, "aep.streaming.retry.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(AepStreamingHttpResources.class).getStreamingConnections().maxConnections())
					.isEqualTo(CONCURRENT);
				StreamingTemplate template = context.getBean(StreamingTemplate.class);
				List<CompletableFuture<StreamingResult>> sends = new ArrayList<>();
				for (int i = 0; i < CONCURRENT; i++) {
					sends.add(template.sendAsync(StreamingMessage.raw(Map.of("n", i))));
				}
				CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
				assertThat(sends).allSatisfy((send) -> assertThat(send.get().statusCode()).isEqualTo(200));
			});
	}

	/**
	 * At a cold start every sender waits for the first token, and all of them go on from
	 * the event loop on which IMS's answer arrived. Reactor Netty would open every
	 * connection for them on that one loop (colocation) and keep them there; they must be
	 * spread over the event loops instead.
	 */
	@Test
	void connectionsOpenedForSendersWokenByTheFirstTokenAreSpreadOverTheEventLoops() throws InterruptedException {
		Set<Thread> responseThreads = ConcurrentHashMap.newKeySet();
		StreamingWebClientCustomizer recordResponseThreads = (builder) -> builder.filter((request,
				next) -> next.exchange(request).doOnNext((response) -> responseThreads.add(Thread.currentThread())));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withBean(StreamingWebClientCustomizer.class, () -> recordResponseThreads)
			.withPropertyValues("aep.streaming.connection-id=conn",
					"aep.streaming.base-url=http://localhost:" + this.server.getPort(),
					"aep.streaming.ims.token-uri=http://localhost:" + this.server.getPort() + "/ims/token/v3",
					"aep.streaming.ims.client-id=pool-client", "aep.streaming.ims.client-secret=pool-secret",
					"aep.streaming.ims.org-id=POOL@AdobeOrg", "aep.streaming.max-in-flight=" + CONCURRENT,
					"aep.streaming.retry.enabled=false")
			.run((context) -> {
				StreamingTemplate template = context.getBean(StreamingTemplate.class);
				List<CompletableFuture<StreamingResult>> sends = new ArrayList<>();
				for (int i = 0; i < CONCURRENT; i++) {
					sends.add(template.sendAsync(StreamingMessage.raw(Map.of("n", i))));
				}
				this.tokenGate.countDown();
				CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
				assertThat(sends).allSatisfy((send) -> assertThat(send.get().statusCode()).isEqualTo(200));
				assertThat(this.server.getRequestCount()).isEqualTo(CONCURRENT + 1);
				assertThat(responseThreads).extracting(Thread::getName)
					.allSatisfy((name) -> assertThat(name).startsWith("aep-streaming-"))
					.hasSizeGreaterThan(1);
			});
		// the loops are shut down with the context: their threads end, within a bound
		for (Thread loop : responseThreads) {
			loop.join(TimeUnit.SECONDS.toMillis(5));
		}
		assertThat(responseThreads).as("the event loops of a closed context").noneMatch(Thread::isAlive);
	}

}
