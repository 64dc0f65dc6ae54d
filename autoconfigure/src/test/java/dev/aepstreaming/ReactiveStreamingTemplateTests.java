package dev.aepstreaming;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static dev.aepstreaming.AepTestServers.TIMEOUT;
import static dev.aepstreaming.AepTestServers.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactiveStreamingTemplate}.
 *
 * @author aep-streaming
 */
class ReactiveStreamingTemplateTests {

	private AepTestServers servers;

	private ReactiveStreamingTemplate template;

	@BeforeEach
	void startServers() {
		this.servers = AepTestServers.start();
		this.template = this.servers.reactiveTemplate(false);
	}

	@AfterEach
	void stopServers() {
		this.servers.close();
	}

	@Test
	void sendDoesNothingUntilSubscribed() {
		Mono<StreamingResult> send = this.template.send(Map.of("_id", "e-1"));
		assertThat(this.servers.ims().requestCount()).isZero();
		assertThat(this.servers.streaming().requestCount()).isZero();
		StepVerifier.create(send)
			.assertNext((result) -> assertThat(result.statusCode()).isEqualTo(200))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isOne();
	}

	@Test
	void sendSendsAgainOnEverySubscription() {
		Mono<StreamingResult> send = this.template.send(StreamingMessage.raw("{\"n\":1}"));
		send.block(TIMEOUT);
		send.block(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isEqualTo(2);
	}

	@Test
	void sendBatchDoesNothingUntilSubscribed() {
		this.servers.streaming().respond((request) -> json(207, "{\"responses\":[{},{}]}"));
		Mono<BatchResult> send = this.template.sendBatch(List.of(Map.of("_id", "e-1"), Map.of("_id", "e-2")));
		assertThat(this.servers.streaming().requestCount()).isZero();
		StepVerifier.create(send)
			.assertNext((result) -> assertThat(result.results()).hasSize(2))
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isOne();
	}

	@Test
	void sendOfAnUnwritableMessageSignalsTheErrorOnlyWhenSubscribed() {
		Mono<StreamingResult> send = this.template.send(StreamingMessage.raw("not json"));
		StepVerifier.create(send).expectError(StreamingValidationException.class).verify(TIMEOUT);
		assertThat(this.servers.streaming().requestCount()).isZero();
	}

	@Test
	void sendSignalsAepsRefusalAsTheTypedException() {
		this.servers.streaming().respond((request) -> json(429, "").setHeader("Retry-After", "2"));
		StepVerifier.create(this.template.send(Map.of("_id", "e-1")))
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(StreamingRateLimitedException.class)
				.extracting((error) -> ((AepStreamingException) error).getRetryAfter().orElseThrow())
				.isEqualTo(Duration.ofSeconds(2)))
			.verify(TIMEOUT);
	}

}
