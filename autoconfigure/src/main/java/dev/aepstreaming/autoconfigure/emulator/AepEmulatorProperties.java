package dev.aepstreaming.autoconfigure.emulator;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the embedded AEP emulator.
 *
 * @author aep-streaming
 */
@ConfigurationProperties("aep.streaming.emulator")
public class AepEmulatorProperties {

	/**
	 * Whether to start an embedded emulator of IMS and AEP streaming ingestion on
	 * loopback and point the starter at it instead of Adobe. Requires
	 * aep-streaming-emulator on the classpath.
	 */
	private boolean enabled;

	/**
	 * Port of the embedded emulator; 0 picks a free one.
	 */
	private int port;

	/**
	 * Lifetime of the tokens the embedded emulator issues. IMS issues tokens that live
	 * about 24 hours.
	 */
	private Duration tokenLifetime = Duration.ofHours(24);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public Duration getTokenLifetime() {
		return this.tokenLifetime;
	}

	public void setTokenLifetime(Duration tokenLifetime) {
		this.tokenLifetime = tokenLifetime;
	}

}
