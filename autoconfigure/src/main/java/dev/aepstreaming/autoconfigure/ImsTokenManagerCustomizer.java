package dev.aepstreaming.autoconfigure;

import dev.aepstreaming.ims.ImsTokenManager;

/**
 * Callback to customize the auto-configured {@link ImsTokenManager} before it is used,
 * for example to set its clock or scheduler.
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
