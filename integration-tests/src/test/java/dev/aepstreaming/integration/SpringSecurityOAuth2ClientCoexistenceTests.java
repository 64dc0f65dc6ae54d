package dev.aepstreaming.integration;

import dev.aepstreaming.StreamingTemplate;
import dev.aepstreaming.autoconfigure.AepStreamingAutoConfiguration;
import dev.aepstreaming.ims.ImsTokenManager;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the starter leaves an application's own
 * {@code spring.security.oauth2.client} registrations, and the repositories Spring Boot
 * builds for them, exactly as they were.
 *
 * @author aep-streaming
 */
class SpringSecurityOAuth2ClientCoexistenceTests {

	private static final String[] PROPERTIES = { "aep.streaming.base-url=https://dcs.example.com",
			"aep.streaming.connection-id=conn", "aep.streaming.ims.client-id=aep-client",
			"aep.streaming.ims.client-secret=aep-secret", "aep.streaming.ims.org-id=ORG@AdobeOrg",
			"spring.security.oauth2.client.registration.partner.client-id=partner-client",
			"spring.security.oauth2.client.registration.partner.client-secret=partner-secret",
			"spring.security.oauth2.client.registration.partner.authorization-grant-type=client_credentials",
			"spring.security.oauth2.client.provider.partner.token-uri=https://partner.example.com/token" };

	@Test
	void servletApplicationKeepsItsOwnRegistrationRepositoryWithOnlyItsOwnRegistrations() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					OAuth2ClientAutoConfiguration.class, AepStreamingAutoConfiguration.class))
			.withPropertyValues(PROPERTIES)
			.run((context) -> {
				assertThat(context).hasSingleBean(ClientRegistrationRepository.class)
					.hasSingleBean(StreamingTemplate.class)
					.hasSingleBean(ImsTokenManager.class);
				ClientRegistrationRepository repository = context.getBean(ClientRegistrationRepository.class);
				assertThat(repository.findByRegistrationId("partner")).isNotNull();
				assertThat(repository.findByRegistrationId(AepStreamingAutoConfiguration.REGISTRATION_ID)).isNull();
			});
	}

	@Test
	void reactiveApplicationKeepsItsOwnRegistrationRepositoryWithOnlyItsOwnRegistrations() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, WebClientAutoConfiguration.class,
					ReactiveOAuth2ClientAutoConfiguration.class, AepStreamingAutoConfiguration.class))
			.withPropertyValues(PROPERTIES)
			.run((context) -> {
				assertThat(context).hasSingleBean(ReactiveClientRegistrationRepository.class)
					.hasSingleBean(StreamingTemplate.class);
				ReactiveClientRegistrationRepository repository = context
					.getBean(ReactiveClientRegistrationRepository.class);
				assertThat(repository.findByRegistrationId("partner").block()).isNotNull();
				assertThat(repository.findByRegistrationId(AepStreamingAutoConfiguration.REGISTRATION_ID).block())
					.isNull();
			});
	}

}
