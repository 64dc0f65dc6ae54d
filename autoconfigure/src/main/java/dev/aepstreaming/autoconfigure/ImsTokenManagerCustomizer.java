package dev.aepstreaming.autoconfigure;

import dev.aepstreaming.ims.ImsTokenManager;

/**
 * Callback to customize the auto-configured {@link ImsTokenManager} before it is used,
 * for example to set its clock or scheduler. Called once for each credential: that of the
 * top-level {@code aep.streaming.ims.*} properties and each of its own that a connection
 * of {@code aep.streaming.connections} names.
 *
 * @author aep-streaming
 */
@FunctionalInterface
public interface ImsTokenManagerCustomizer {

	/**
	 * Customize the token manager.
	 * @param tokenManager the token manager
	 */
	void customize(ImsTokenManager tokenManager);

}
