package dev.aepstreaming.autoconfigure;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Callback to customize the {@link WebClient.Builder} of the streaming endpoint, after
 * the base URL, connector and credential filter are set. Called once for each streaming
 * connection, the {@code default} one and each of {@code aep.streaming.connections}.
 *
 * @author aep-streaming
 */
@FunctionalInterface
public interface StreamingWebClientCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder
	 */
	void customize(WebClient.Builder builder);

}
