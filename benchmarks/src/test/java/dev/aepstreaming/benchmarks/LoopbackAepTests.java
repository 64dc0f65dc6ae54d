package dev.aepstreaming.benchmarks;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoopbackAep}.
 *
 * @author aep-streaming
 */
class LoopbackAepTests {

	private final LoopbackAep aep = new LoopbackAep();

	private final WebClient webClient = WebClient.create(this.aep.baseUrl());

	@AfterEach
	void close() {
		this.aep.close();
	}

	@Test
	void answersASingleMessageWithAepsAcknowledgement() {
		ResponseEntity<Map> answer = post("/collection/c1", "{\"header\":{}}", "token").block();
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(answer.getBody()).containsEntry("inletId", "c1").containsKeys("xactionId", "receivedTimeMs");
		assertThat(this.aep.messageCount()).isOne();
	}

	@Test
	void answersABatchWithOneEntryPerMessage() {
		ResponseEntity<Map> answer = post("/collection/batch/c1", "{\"messages\":[{},{},{}]}", "token").block();
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.MULTI_STATUS);
		assertThat(answer.getBody().get("responses")).asList().hasSize(3);
		assertThat(this.aep.messageCount()).isEqualTo(3);
	}

	@Test
	void refusesARequestWithoutBearerToken() {
		ResponseEntity<Map> answer = post("/collection/c1", "{}", null).block();
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.aep.unauthorizedCount()).isOne();
	}

	@Test
	void holdsAnswersUntilReleased() throws Exception {
		this.aep.hold();
		CompletableFuture<ResponseEntity<Map>> answer = post("/collection/c1", "{}", "token").toFuture();
		Thread.sleep(200);
		assertThat(answer).isNotDone();
		this.aep.release();
		assertThat(answer.get(5, TimeUnit.SECONDS).getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	private Mono<ResponseEntity<Map>> post(String path, String json, String token) {
		return this.webClient.post().uri(path).headers((headers) -> {
			if (token != null) {
				headers.setBearerAuth(token);
			}
		})
			.header("Content-Type", "application/json")
			.bodyValue(json)
			.exchangeToMono((response) -> response.toEntity(Map.class));
	}

}
