package dev.aepstreaming.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Contract tests of fault injection.
 */
class FaultInjectionTests {

	private static final String CONNECTION = "fault-connection";

	private MutableClock clock;

	private AepEmulator emulator;

	private EmulatorClient client;

	private String token;

	@BeforeEach
	void startEmulator() {
		this.clock = MutableClock.startingAt("2025-06-01T10:00:00Z");
		this.emulator = AepEmulator.builder().clock(this.clock).seed(42).build().start();
		this.client = new EmulatorClient(this.emulator);
		this.token = this.client.fetchToken();
	}

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	@Test
	void singleEndpointAnswers503WithRetryAfter() {
		this.emulator.faults()
			.errorRate(EmulatorEndpoint.SINGLE, 503, 1.0)
			.retryAfter(EmulatorEndpoint.SINGLE, Duration.ofSeconds(7));
		HttpResponse<String> response = sendSingle();
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
		assertThat(EmulatorClient.json(response).get("status").asInt()).isEqualTo(503);
		assertThat(this.emulator.recorder().acceptedMessageCount()).isZero();
		assertThat(this.emulator.recorder().rejections()).extracting(RecordedRejection::reason)
			.containsExactly("fault_503");
	}

	@Test
	void batchEndpointAnswers429WithRetryAfterAndOtherEndpointsAreUnaffected() {
		this.emulator.faults().errorRate(EmulatorEndpoint.BATCH, 429, 1.0);
		HttpResponse<String> response = this.client.postBatch(CONNECTION,
				"{\"messages\":[" + XdmMessages.json(XdmMessages.valid()) + "]}",
				this.client.streamingHeaders(this.token));
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(sendSingle().statusCode()).isEqualTo(200);
	}

	@Test
	void retryAfterOfZeroSendsNoHeader() {
		this.emulator.faults()
			.errorRate(EmulatorEndpoint.SINGLE, 429, 1.0)
			.retryAfter(EmulatorEndpoint.SINGLE, Duration.ZERO);
		HttpResponse<String> response = sendSingle();
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Retry-After")).isEmpty();
	}

	@Test
	void tokenEndpointAnswers500InImsShape() {
		this.emulator.faults().errorRate(EmulatorEndpoint.TOKEN, 500, 1.0);
		HttpResponse<String> response = this.client.postToken(this.client.validTokenForm());
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(EmulatorClient.json(response).get("error").asString()).isEqualTo("server_error");
		assertThat(response.headers().firstValue("Retry-After")).isEmpty();
		assertThat(this.emulator.recorder().tokenRequests()).last()
			.satisfies((request) -> assertThat(request.outcome()).isEqualTo("fault_500"));
	}

	@Test
	void errorRatesFollowTheSeedDeterministically() {
		this.emulator.faults().errorRate(EmulatorEndpoint.SINGLE, 503, 0.5);
		List<Integer> first = statuses(20);
		this.emulator.faults().seed(42);
		List<Integer> second = statuses(20);
		assertThat(first).isEqualTo(second).contains(200, 503);
	}

	@Test
	void droppedConnectionClosesWithoutAResponse() {
		this.emulator.faults().dropConnections(EmulatorEndpoint.SINGLE, 1.0);
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.client
			.sendChecked(HttpRequest.newBuilder(URI.create(this.emulator.collectionUri(CONNECTION)))
				.headers(this.client.streamingHeaders(this.token))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(XdmMessages.json(XdmMessages.valid())))));
		assertThat(this.emulator.recorder().rejections()).extracting(RecordedRejection::status).containsExactly(0);
		this.emulator.faults().reset();
		assertThat(sendSingle().statusCode()).isEqualTo(200);
	}

	@Test
	void latencyDelaysEveryAnswer() {
		this.emulator.faults().latency(EmulatorEndpoint.SINGLE, Duration.ofMillis(150));
		long start = System.nanoTime();
		HttpResponse<String> response = sendSingle();
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
	}

	@Test
	void slowResponseOutlastsAClientReadTimeout() {
		this.emulator.faults().slowResponses(EmulatorEndpoint.SINGLE, 1.0, Duration.ofMillis(250));
		assertThatExceptionOfType(HttpTimeoutException.class).isThrownBy(() -> this.client
			.sendChecked(HttpRequest.newBuilder(URI.create(this.emulator.collectionUri(CONNECTION)))
				.headers(this.client.streamingHeaders(this.token))
				.header("Content-Type", "application/json")
				.timeout(Duration.ofMillis(50))
				.POST(HttpRequest.BodyPublishers.ofString(XdmMessages.json(XdmMessages.valid())))));
	}

	@Test
	void tokenOutageAnswers503WithRetryAfterUntilItsEnd() {
		this.emulator.faults().tokenOutage(Duration.ofSeconds(90), EmulatorFaults.OutageMode.UNAVAILABLE);
		HttpResponse<String> during = this.client.postToken(this.client.validTokenForm());
		assertThat(during.statusCode()).isEqualTo(503);
		assertThat(during.headers().firstValue("Retry-After")).hasValue("90");
		assertThat(EmulatorClient.json(during).get("error").asString()).isEqualTo("temporarily_unavailable");
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(this.client.postToken(this.client.validTokenForm()).headers().firstValue("Retry-After"))
			.hasValue("30");
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.client.postToken(this.client.validTokenForm()).statusCode()).isEqualTo(200);
	}

	@Test
	void tokenOutageCanDropConnectionsAndLeavesStreamingAlone() {
		this.emulator.faults()
			.tokenOutage(this.clock.instant(), this.clock.instant().plusSeconds(10), EmulatorFaults.OutageMode.DROP);
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> this.client.sendChecked(HttpRequest.newBuilder(URI.create(this.emulator.tokenUri()))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(EmulatorClient.form(this.client.validTokenForm())))));
		assertThat(sendSingle().statusCode()).isEqualTo(200);
		assertThat(this.emulator.recorder().tokenRequests()).last()
			.satisfies((request) -> assertThat(request.outcome()).isEqualTo("fault_dropped"));
	}

	@Test
	void futureTokenOutageDoesNotAffectRequestsBeforeIt() {
		this.emulator.faults()
			.tokenOutage(this.clock.instant().plusSeconds(60), this.clock.instant().plusSeconds(120),
					EmulatorFaults.OutageMode.UNAVAILABLE);
		assertThat(this.client.postToken(this.client.validTokenForm()).statusCode()).isEqualTo(200);
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(this.client.postToken(this.client.validTokenForm()).statusCode()).isEqualTo(503);
	}

	@Test
	void resetRemovesEveryFault() {
		this.emulator.faults()
			.errorRate(EmulatorEndpoint.SINGLE, 500, 1.0)
			.tokenOutage(Duration.ofHours(1), EmulatorFaults.OutageMode.UNAVAILABLE);
		this.emulator.faults().reset();
		assertThat(sendSingle().statusCode()).isEqualTo(200);
		assertThat(this.client.postToken(this.client.validTokenForm()).statusCode()).isEqualTo(200);
		assertThat(this.emulator.faults().get(EmulatorEndpoint.SINGLE)).isEqualTo(EndpointFaults.NONE);
		assertThat(this.emulator.faults().tokenOutage()).isEmpty();
	}

	@Test
	void ratesAddingUpToMoreThanOneAreRejected() {
		this.emulator.faults().errorRate(EmulatorEndpoint.SINGLE, 503, 0.6);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.emulator.faults().errorRate(EmulatorEndpoint.SINGLE, 500, 0.6));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.emulator.faults().errorRate(EmulatorEndpoint.SINGLE, 502, 0.1));
	}

	private List<Integer> statuses(int count) {
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			statuses.add(sendSingle().statusCode());
		}
		return statuses;
	}

	private HttpResponse<String> sendSingle() {
		return this.client.postSingle(CONNECTION, XdmMessages.json(XdmMessages.valid()),
				this.client.streamingHeaders(this.token));
	}

}
