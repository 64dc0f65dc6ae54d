package dev.aepstreaming.autoconfigure.actuate;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AepStreamingActuatorAutoConfiguration}.
 *
 * @author aep-streaming
 */
class AepStreamingActuatorAutoConfigurationTests {

	private static final String BEAN_NAME = "aepStreamingSanitizingFunction";

	private static final String SECRET = "p8e-EnvEndpointMustNotShowThis";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AepStreamingActuatorAutoConfiguration.class));

	@Test
	void sanitizingFunctionIsRegisteredByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SanitizingFunction.class)
			.getBean(BEAN_NAME)
			.isInstanceOf(AepStreamingSanitizingFunction.class));
	}

	@Test
	void environmentEndpointMasksTheClientSecretAndShowsOtherValuesWhenValuesAreShown() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(EnvironmentEndpointAutoConfiguration.class))
			.withPropertyValues(environmentEndpointShowingValues())
			.run((context) -> {
				assertThat(environmentValue(context, "aep.streaming.ims.client-secret"))
					.isEqualTo(SanitizableData.SANITIZED_VALUE);
				assertThat(environmentValue(context, "aep.streaming.ims.client-id")).isEqualTo("client-1");
			});
	}

	@Test
	void sanitizingFunctionIsAbsentWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BEAN_NAME));
	}

	@Test
	void environmentEndpointMasksTheClientSecretAlthoughStreamingIsDisabled() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(EnvironmentEndpointAutoConfiguration.class))
			.withPropertyValues(environmentEndpointShowingValues())
			.withPropertyValues("aep.streaming.enabled=false")
			.run((context) -> {
				assertThat(context).hasBean(BEAN_NAME);
				assertThat(environmentValue(context, "aep.streaming.ims.client-secret"))
					.isEqualTo(SanitizableData.SANITIZED_VALUE);
			});
	}

	@Test
	void sanitizingFunctionOfTheUserNamedLikeOursReplacesIt() {
		this.contextRunner.withUserConfiguration(UserSanitizingFunctionConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SanitizingFunction.class)
				.doesNotHaveBean(AepStreamingSanitizingFunction.class);
			assertThat(context.getBean(BEAN_NAME)).isSameAs(UserSanitizingFunctionConfiguration.FUNCTION);
		});
	}

	@Test
	void sanitizingFunctionOfTheUserUnderAnotherNameLeavesOursInPlace() {
		this.contextRunner.withBean("applicationSanitizingFunction", SanitizingFunction.class, () -> (data) -> data)
			.run((context) -> {
				assertThat(context).getBeans(SanitizingFunction.class).hasSize(2);
				assertThat(context).getBean(BEAN_NAME).isInstanceOf(AepStreamingSanitizingFunction.class);
			});
	}

	private static String[] environmentEndpointShowingValues() {
		return new String[] { "management.endpoints.web.exposure.include=env",
				"management.endpoint.env.show-values=always", "aep.streaming.ims.client-id=client-1",
				"aep.streaming.ims.client-secret=" + SECRET };
	}

	private static Object environmentValue(AssertableApplicationContext context, String name) {
		return context.getBean(EnvironmentEndpoint.class).environmentEntry(name).getProperty().getValue();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserSanitizingFunctionConfiguration {

		static final SanitizingFunction FUNCTION = (data) -> data;

		@Bean(BEAN_NAME)
		SanitizingFunction aepStreamingSanitizingFunction() {
			return FUNCTION;
		}

	}

}
