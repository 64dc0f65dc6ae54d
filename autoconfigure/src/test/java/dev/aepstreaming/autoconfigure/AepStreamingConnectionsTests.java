package dev.aepstreaming.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.StreamingMessage;
import dev.aepstreaming.StreamingOperations;
import dev.aepstreaming.StreamingResult;
import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.autoconfigure.emulator.AepEmulatorAutoConfiguration;
import dev.aepstreaming.autoconfigure.health.AepStreamingHealthContributorAutoConfiguration;
import dev.aepstreaming.autoconfigure.metrics.AepStreamingMeterBinder;
import dev.aepstreaming.autoconfigure.metrics.AepStreamingMetricsAutoConfiguration;
import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;
import dev.aepstreaming.emulator.RecordedMessage;
import dev.aepstreaming.emulator.RecordedTokenRequest;
import dev.aepstreaming.ims.ImsTokenManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for several streaming connections configured under
 * {@code aep.streaming.connections.<name>.*}, against the emulator on loopback.
 *
 * @author aep-streaming
 */
class AepStreamingConnectionsTests {

	private static final List<String> SCOPES = List.of("openid", "AdobeID");

	private static AepEmulator emulator;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
				AepStreamingAutoConfiguration.class));

	@BeforeAll
	static void startEmulator() {
		emulator = AepEmulator.builder()
			.credential("client-a", "secret-a", "org-a@AdobeOrg", SCOPES)
			.credential("client-b", "secret-b", "org-b@AdobeOrg", SCOPES)
			.build()
			.start();
	}

	@AfterAll
	static void stopEmulator() {
		emulator.close();
	}

	@BeforeEach
	void resetEmulator() {
		emulator.reset();
	}

	@Test
	void eachConnectionSendsToItsOwnInletWithItsOwnDataflowDatasetAndSchema() {
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.orders.flow-id=flow-orders",
					"aep.streaming.connections.orders.xdm.dataset-id=dataset-orders",
					"aep.streaming.connections.orders.xdm.schema-id=https://ns.adobe.com/tenant/schemas/orders")
			.run((context) -> {
				StreamingTemplates templates = context.getBean(StreamingTemplates.class);
				templates.get("default").send(event("event-1"));
				templates.get("orders").send(event("event-2"));
				RecordedMessage defaultMessage = single(emulator.recorder().messages("inlet-default"));
				assertThat(defaultMessage.header("x-adobe-flow-id")).isEqualTo("flow-default");
				assertThat(defaultMessage.body().at("/header/datasetId").asString()).isEqualTo("dataset-default");
				assertThat(defaultMessage.body().at("/header/schemaRef/id").asString())
					.isEqualTo("https://ns.adobe.com/tenant/schemas/default");
				RecordedMessage ordersMessage = single(emulator.recorder().messages("inlet-orders"));
				assertThat(ordersMessage.header("x-adobe-flow-id")).isEqualTo("flow-orders");
				assertThat(ordersMessage.header("x-sandbox-name")).isEqualTo("prod");
				assertThat(ordersMessage.body().at("/header/datasetId").asString()).isEqualTo("dataset-orders");
				assertThat(ordersMessage.body().at("/header/flowId").asString()).isEqualTo("flow-orders");
				assertThat(ordersMessage.body().at("/header/schemaRef/id").asString())
					.isEqualTo("https://ns.adobe.com/tenant/schemas/orders");
				assertThat(ordersMessage.body().at("/header/imsOrgId").asString()).isEqualTo("org-a@AdobeOrg");
				assertThat(ordersMessage.body().at("/body/xdmEntity/_id").asString()).isEqualTo("event-2");
			});
	}

	@Test
	void connectionsWithoutACredentialOfTheirOwnShareTheDefaultConnectionsToken() {
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.returns.connection-id=inlet-returns")
			.run((context) -> {
				AepStreamingConnections connections = context.getBean(AepStreamingConnections.class);
				for (String name : connections.getNames()) {
					connections.get(name).send(event("event-" + name));
				}
				assertThat(emulator.recorder().acceptedMessageCount()).isEqualTo(3);
				assertThat(emulator.recorder().tokenRequestCount()).isEqualTo(1);
				assertThat(connections.getTokenManagers()).containsExactly(context.getBean(ImsTokenManager.class));
			});
	}

	@Test
	void aConnectionWithACredentialOfItsOwnSharesItsTokenWithEveryConnectionNamingTheSameCredential() {
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.orders.ims.client-id=client-b",
					"aep.streaming.connections.orders.ims.client-secret=secret-b",
					"aep.streaming.connections.orders.ims.org-id=org-b@AdobeOrg",
					"aep.streaming.connections.returns.connection-id=inlet-returns",
					"aep.streaming.connections.returns.ims.client-id=client-b",
					"aep.streaming.connections.returns.ims.client-secret=secret-b",
					"aep.streaming.connections.returns.ims.org-id=org-b@AdobeOrg")
			.run((context) -> {
				AepStreamingConnections connections = context.getBean(AepStreamingConnections.class);
				for (int i = 0; i < 3; i++) {
					for (String name : connections.getNames()) {
						connections.get(name).send(event("event-" + name + "-" + i));
					}
				}
				assertThat(emulator.recorder().tokenRequests()).extracting(RecordedTokenRequest::clientId)
					.containsExactlyInAnyOrder("client-a", "client-b");
				assertThat(emulator.recorder().tokenRequests()).allMatch(RecordedTokenRequest::issued);
				assertThat(connections.getTokenManagers()).hasSize(2);
				assertThat(connections.getConnection("orders").tokenManager())
					.isSameAs(connections.getConnection("returns").tokenManager())
					.isNotSameAs(context.getBean(ImsTokenManager.class));
				assertThat(emulator.recorder().messages("inlet-orders")).hasSize(3).allSatisfy((message) -> {
					assertThat(message.header("x-api-key")).isEqualTo("client-b");
					assertThat(message.header("x-gw-ims-org-id")).isEqualTo("org-b@AdobeOrg");
				});
				assertThat(emulator.recorder().messages("inlet-default")).hasSize(3)
					.allSatisfy((message) -> assertThat(message.header("x-api-key")).isEqualTo("client-a"));
			});
	}

	@Test
	void theDefaultConnectionIsTheOneOfTheTemplateBeans() {
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders")
			.run((context) -> {
				StreamingTemplates templates = context.getBean(StreamingTemplates.class);
				assertThat(templates.getNames()).containsExactly("default", "orders");
				assertThat(templates.get(StreamingTemplates.DEFAULT_CONNECTION))
					.isSameAs(context.getBean(StreamingOperations.class));
				assertThat(templates.getReactive(StreamingTemplates.DEFAULT_CONNECTION))
					.isSameAs(context.getBean(ReactiveStreamingOperations.class));
				assertThat(templates.get("orders")).isNotSameAs(context.getBean(StreamingOperations.class));
				StreamingResult result = templates.getReactive("orders")
					.send(event("event-1"))
					.block(Duration.ofSeconds(10));
				assertThat(result.statusCode()).isEqualTo(200);
			});
	}

	@Test
	void theCustomizersApplyToEveryConnectionAndEveryCredential() {
		List<ImsTokenManager> customizedTokenManagers = new CopyOnWriteArrayList<>();
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.orders.ims.client-id=client-b",
					"aep.streaming.connections.orders.ims.client-secret=secret-b",
					"aep.streaming.connections.orders.ims.org-id=org-b@AdobeOrg",
					"aep.streaming.connections.returns.connection-id=inlet-returns")
			.withBean(StreamingWebClientCustomizer.class,
					() -> (builder) -> builder.defaultHeader("x-customized", "yes"))
			.withBean(ImsTokenManagerCustomizer.class, () -> customizedTokenManagers::add)
			.run((context) -> {
				AepStreamingConnections connections = context.getBean(AepStreamingConnections.class);
				connections.getNames().forEach((name) -> connections.get(name).send(event("event-" + name)));
				assertThat(emulator.recorder().messages()).hasSize(3)
					.allSatisfy((message) -> assertThat(message.header("x-customized")).isEqualTo("yes"));
				assertThat(customizedTokenManagers).containsExactlyInAnyOrderElementsOf(connections.getTokenManagers());
			});
	}

	@Test
	void everyConnectionIsMeteredObservedAndHealthCheckedUnderItsOwnName() {
		SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
		TestObservationRegistry observationRegistry = TestObservationRegistry.create();
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(AepStreamingMetricsAutoConfiguration.class,
					AepStreamingHealthContributorAutoConfiguration.class))
			.withBean(MeterRegistry.class, () -> meterRegistry)
			.withBean(ObservationRegistry.class, () -> observationRegistry)
			.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.orders.ims.client-id=client-b",
					"aep.streaming.connections.orders.ims.client-secret=secret-b",
					"aep.streaming.connections.orders.ims.org-id=org-b@AdobeOrg")
			.run((context) -> {
				context.getBean(AepStreamingMeterBinder.class).bindTo(meterRegistry);
				StreamingTemplates templates = context.getBean(StreamingTemplates.class);
				templates.get("default").send(event("event-1"));
				templates.get("orders").send(event("event-2"));
				templates.get("orders").send(event("event-3"));
				assertThat(meterRegistry.get("aep.streaming.events").tag("connection", "orders").counter().count())
					.isEqualTo(2);
				assertThat(meterRegistry.get("aep.streaming.events").tag("connection", "default").counter().count())
					.isEqualTo(1);
				assertThat(
						meterRegistry.get("aep.streaming.token.requests").tag("credential", "orders").timer().count())
					.isEqualTo(1);
				assertThat(meterRegistry.get("aep.streaming.token.expiry").tag("credential", "orders").gauge().value())
					.isPositive();
				TestObservationRegistryAssert.assertThat(observationRegistry)
					.hasNumberOfObservationsWithNameEqualTo("aep.streaming.send", 3)
					.hasAnObservationWithAKeyValue("aep.streaming.connection", "orders")
					.hasAnObservationWithAKeyValue("aep.streaming.credential", "orders");
				CompositeHealthContributor health = (CompositeHealthContributor) context
					.getBean(AepStreamingHealthContributorAutoConfiguration.HEALTH_CONTRIBUTOR_BEAN_NAME);
				HealthIndicator orders = (HealthIndicator) health.getContributor("orders");
				assertThat(orders.health().getStatus()).isEqualTo(Status.UP);
				assertThat(orders.health().getDetails()).containsEntry("connectionId", "inlet-orders");
			});
	}

	@Test
	void everyTokenManagerIsClosedWhenTheContextCloses() {
		List<ImsTokenManager> tokenManagers = new CopyOnWriteArrayList<>();
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.orders.ims.client-id=client-b",
					"aep.streaming.connections.orders.ims.client-secret=secret-b",
					"aep.streaming.connections.orders.ims.org-id=org-b@AdobeOrg")
			.withBean(ImsTokenManagerCustomizer.class, () -> tokenManagers::add)
			.run((context) -> {
				StreamingTemplates templates = context.getBean(StreamingTemplates.class);
				templates.get("default").send(event("event-1"));
				templates.get("orders").send(event("event-2"));
			});
		assertThat(tokenManagers).hasSize(2)
			.allSatisfy((tokenManager) -> assertThat(tokenManager).extracting("closed").isEqualTo(true));
	}

	@Test
	void everyTokenManagerIsClosedWhenStartupFailsAfterAConnectionObtainedAToken() {
		List<ImsTokenManager> tokenManagers = new CopyOnWriteArrayList<>();
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.orders.ims.client-id=client-b",
					"aep.streaming.connections.orders.ims.client-secret=secret-b",
					"aep.streaming.connections.orders.ims.org-id=org-b@AdobeOrg")
			.withBean(ImsTokenManagerCustomizer.class, () -> tokenManagers::add)
			.withUserConfiguration(SendsThenFailsConfiguration.class)
			.run((context) -> assertThat(context).hasFailed());
		assertThat(emulator.recorder().messages("inlet-orders")).hasSize(1);
		assertThat(tokenManagers).hasSize(2)
			.allSatisfy((tokenManager) -> assertThat(tokenManager).extracting("closed").isEqualTo(true));
	}

	@Test
	void anUnknownConnectionNameFailsNamingTheConfiguredOnesAndWhereToAddIt() {
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(StreamingTemplates.class).get("payments"))
				.withMessageContaining("'payments'")
				.withMessageContaining("[default, orders]")
				.withMessageContaining("aep.streaming.connections.payments"));
	}

	@Test
	void eventsOfEveryConnectionAreDeliveredWhenTheContextCloses() {
		emulator.faults().latency(EmulatorEndpoint.SINGLE, Duration.ofMillis(200));
		List<CompletableFuture<StreamingResult>> sends = new ArrayList<>();
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders")
			.run((context) -> {
				StreamingTemplates templates = context.getBean(StreamingTemplates.class);
				for (int i = 0; i < 20; i++) {
					sends.add(templates.get("default").sendAsync(event("default-" + i)));
					sends.add(templates.get("orders").sendAsync(event("orders-" + i)));
				}
				assertThat(sends).anyMatch((send) -> !send.isDone());
			});
		assertThat(sends).allSatisfy((send) -> assertThat(send)
			.isCompletedWithValueMatching((result) -> result.statusCode() == 200, "acknowledged"));
		assertThat(emulator.recorder().messages("inlet-orders")).hasSize(20);
		assertThat(emulator.recorder().messages("inlet-default")).hasSize(20);
	}

	@Test
	void namedConnectionsOfTheEmbeddedEmulatorUseItsEndpointAndCredential() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					AepEmulatorAutoConfiguration.class, AepStreamingAutoConfiguration.class))
			.withPropertyValues("aep.streaming.emulator.enabled=true",
					"aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.orders.flow-id=flow-orders")
			.run((context) -> {
				AepEmulator embedded = context.getBean(AepEmulator.class);
				StreamingResult result = context.getBean(StreamingTemplates.class)
					.get("orders")
					.send(StreamingMessage.raw("{\"id\":1}"));
				assertThat(result.statusCode()).isEqualTo(200);
				assertThat(embedded.recorder().messages("inlet-orders")).hasSize(1);
			});
	}

	@Test
	void theNameDefaultIsRefusedForANamedConnection() {
		assertStartupFails("aep.streaming.connections.default is not allowed",
				"aep.streaming.connections.default.connection-id=inlet-x");
	}

	@Test
	void aNamedConnectionWithoutConnectionIdIsRefused() {
		assertStartupFails("aep.streaming.connections.orders.connection-id must be set",
				"aep.streaming.connections.orders.flow-id=flow-orders");
	}

	@Test
	void aConnectionIdUsedTwiceIsRefusedNamingBothProperties() {
		assertStartupFails(
				"aep.streaming.connections.orders.connection-id 'inlet-default' is already used by "
						+ "aep.streaming.connection-id",
				"aep.streaming.connections.orders.connection-id=inlet-default");
	}

	@Test
	void aClientIdOfItsOwnWithoutClientSecretIsRefused() {
		assertStartupFails("aep.streaming.connections.orders.ims.client-secret must be set",
				"aep.streaming.connections.orders.connection-id=inlet-orders",
				"aep.streaming.connections.orders.ims.client-id=client-b");
	}

	@Test
	void aClientSecretWithoutClientIdIsRefused() {
		assertStartupFails(
				"aep.streaming.connections.orders.ims.client-secret is set without "
						+ "aep.streaming.connections.orders.ims.client-id",
				"aep.streaming.connections.orders.connection-id=inlet-orders",
				"aep.streaming.connections.orders.ims.client-secret=secret-b");
	}

	@Test
	void oneClientIdWithTwoSecretsIsRefusedWithoutShowingEitherSecret() {
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues("aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.orders.ims.client-id=client-a",
					"aep.streaming.connections.orders.ims.client-secret=another-secret")
			.run((context) -> {
				String problems = String.join("\n", problems(context));
				assertThat(problems).contains("aep.streaming.connections.orders.ims names client id 'client-a'")
					.contains("aep.streaming.ims")
					.doesNotContain("another-secret")
					.doesNotContain("secret-a");
			});
	}

	@Test
	void plainHttpToARemoteHostIsRefusedForANamedConnection() {
		assertStartupFails("aep.streaming.connections.orders.base-url uses plain http to 'dcs.example.com'",
				"aep.streaming.connections.orders.connection-id=inlet-orders",
				"aep.streaming.connections.orders.base-url=http://dcs.example.com");
	}

	@Test
	void aCredentialOnAnUnauthenticatedSetUpIsRefused() {
		this.contextRunner
			.withPropertyValues("aep.streaming.authenticated=false", "aep.streaming.base-url=" + emulator.baseUrl(),
					"aep.streaming.connection-id=inlet-default",
					"aep.streaming.connections.orders.connection-id=inlet-orders",
					"aep.streaming.connections.orders.ims.client-id=client-b",
					"aep.streaming.connections.orders.ims.client-secret=secret-b")
			.run((context) -> assertThat(problems(context)).singleElement()
				.asString()
				.startsWith("aep.streaming.connections.orders.ims.* is set, but aep.streaming.authenticated is false"));
	}

	private void assertStartupFails(String expectedProblem, String... properties) {
		this.contextRunner.withPropertyValues(defaultConnection())
			.withPropertyValues(properties)
			.run((context) -> assertThat(problems(context)).singleElement().asString().startsWith(expectedProblem));
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

	private static RecordedMessage single(List<RecordedMessage> messages) {
		assertThat(messages).hasSize(1);
		return messages.get(0);
	}

	private static Map<String, Object> event(String id) {
		return Map.of("_id", id, "timestamp", "2026-12-04T10:00:00Z");
	}

	private static String[] defaultConnection() {
		return new String[] { "aep.streaming.base-url=" + emulator.baseUrl(),
				"aep.streaming.ims.token-uri=" + emulator.tokenUri(), "aep.streaming.connection-id=inlet-default",
				"aep.streaming.flow-id=flow-default", "aep.streaming.ims.client-id=client-a",
				"aep.streaming.ims.client-secret=secret-a", "aep.streaming.ims.org-id=org-a@AdobeOrg",
				"aep.streaming.ims.scopes=openid,AdobeID",
				"aep.streaming.xdm.schema-id=https://ns.adobe.com/tenant/schemas/default",
				"aep.streaming.xdm.dataset-id=dataset-default" };
	}

	@Configuration(proxyBeanMethods = false)
	static class SendsThenFailsConfiguration {

		@Bean
		Object sendsThenFails(StreamingTemplates templates) {
			templates.get("orders").send(event("early"));
			throw new IllegalStateException("Startup fails after a send");
		}

	}

}
