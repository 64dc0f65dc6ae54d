package dev.aepstreaming.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.aepstreaming.AepStreamingException;
import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.StreamingValidationException;
import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.autoconfigure.ImsTokenManagerCustomizer;
import dev.aepstreaming.autoconfigure.StreamingWebClientCustomizer;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import dev.aepstreaming.ims.ImsTokenManager;
import dev.aepstreaming.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Runs the whole life of a streaming connection with every logger at {@code TRACE} (token
 * fetch, refresh, a revoked token and its re-authorization, IMS and AEP errors, shutdown)
 * and checks that neither the client secret nor any access token ever reaches the output.
 *
 * @author aep-streaming
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLoggedTests {

	private static final String SECRET = "p8e-Zq7YsT0pS3cr3tV4lue";

	private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

	private final Set<String> bearerTokens = ConcurrentHashMap.newKeySet();

	private final MutableClock clock = new MutableClock(Instant.now());

	private AepEmulator emulator;

	@BeforeEach
	void startEmulatorAndLogEverything() {
		this.emulator = AepEmulator.builder()
			.credential("client-trace", SECRET, "TRACE0000000000000000@AdobeOrg", "openid", "AdobeID")
			.build()
			.start();
		this.loggingSystem.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.TRACE);
	}

	@AfterEach
	void restoreLoggingAndStopEmulator() {
		this.loggingSystem.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
		this.emulator.close();
	}

	@Test
	void neitherTheSecretNorAnyTokenAppearsInTheOutputOfAFullRun(CapturedOutput output) {
		contextRunner(SECRET).run((context) -> {
			StreamingTemplate template = context.getBean(StreamingTemplate.class);
			ImsTokenManager tokenManager = context.getBean(ImsTokenManager.class);
			template.send(Map.of("_id", "event-1"));
			this.clock.advance(Duration.ofHours(23).plusMinutes(58));
			template.send(Map.of("_id", "event-2"));
			awaitTokenRequests(tokenManager, 2);
			this.emulator.revokeAllTokens();
			template.send(Map.of("_id", "event-3"));
			template.sendBatch(List.of(Map.of("_id", "event-4"), Map.of("_id", "event-5")));
			assertThatExceptionOfType(StreamingValidationException.class)
				.isThrownBy(() -> template.send(StreamingMessage.envelope(Map.of("header", Map.of()))));
			this.emulator.faults().errorRate(EmulatorEndpoint.SINGLE, 503, 1.0);
			assertThatExceptionOfType(AepStreamingException.class)
				.isThrownBy(() -> template.send(Map.of("_id", "event-6")));
			this.emulator.faults().reset();
			template.send(Map.of("_id", "event-7"));
		});
		contextRunner("wrong-" + SECRET).run((context) -> assertThatExceptionOfType(ImsTokenException.class)
			.isThrownBy(() -> context.getBean(StreamingTemplate.class).send(Map.of("_id", "event-8"))));
		assertThat(this.bearerTokens).as("tokens issued during the run").hasSizeGreaterThanOrEqualTo(3);
		assertThat(output.getAll()).as("the run logged at TRACE").contains("TRACE");
		assertThat(output.getAll()).doesNotContain(SECRET).doesNotContain("Bearer ey");
		for (String token : this.bearerTokens) {
			assertThat(output.getAll()).doesNotContain(token);
			assertThat(output.getAll()).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
		}
	}

	private ApplicationContextRunner contextRunner(String clientSecret) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.connection-id=conn-trace", "aep.streaming.flow-id=flow-trace",
					"aep.streaming.base-url=" + this.emulator.baseUrl(),
					"aep.streaming.ims.token-uri=" + this.emulator.tokenUri(),
					"aep.streaming.ims.client-id=client-trace", "aep.streaming.ims.client-secret=" + clientSecret,
					"aep.streaming.ims.org-id=TRACE0000000000000000@AdobeOrg",
					"aep.streaming.ims.scopes=openid,AdobeID",
					"aep.streaming.xdm.schema-id=https://ns.adobe.com/trace/schemas/1",
					"aep.streaming.xdm.dataset-id=dataset-trace", "aep.streaming.retry.max-attempts=2",
					"aep.streaming.retry.initial-backoff=10ms", "aep.streaming.retry.max-backoff=20ms")
			.withBean("recordBearerTokens", StreamingWebClientCustomizer.class,
					() -> (builder) -> builder.filter((request, next) -> {
						recordBearer(request);
						return next.exchange(request);
					}))
			.withBean("mutableClock", ImsTokenManagerCustomizer.class, () -> (manager) -> manager.setClock(this.clock));
	}

	private void recordBearer(ClientRequest request) {
		String authorization = request.headers().getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null) {
			this.bearerTokens.add(authorization.substring("Bearer ".length()));
		}
	}

	private static void awaitTokenRequests(ImsTokenManager tokenManager, long count) {
		Mono.fromCallable(tokenManager::getTokenRequestCount)
			.filter((requests) -> requests >= count && tokenManager.getCurrentToken()
				.map((token) -> token.getObtainedAt().isAfter(Instant.now().plus(Duration.ofHours(23))))
				.orElse(false))
			.repeatWhenEmpty(100, (repeats) -> repeats.delayElements(Duration.ofMillis(20)))
			.block(Duration.ofSeconds(10));
	}

}
