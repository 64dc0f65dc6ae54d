package dev.aepstreaming.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Details required to reach an AEP streaming connection and to authenticate with IMS.
 * Defaults to the {@code aep.streaming.*} properties; define a bean of this type to
 * supply them from elsewhere, for example a secrets store or a local emulator.
 *
 * @author aep-streaming
 */
public interface AepStreamingConnectionDetails extends ConnectionDetails {

	/**
	 * Base URL of the streaming endpoint.
	 * @return the base URL
	 */
	String getBaseUrl();

	/**
	 * Id of the streaming connection.
	 * @return the connection id
	 */
	String getConnectionId();

	/**
	 * IMS token endpoint.
	 * @return the token URI
	 */
	String getTokenUri();

	/**
	 * Client id of the OAuth Server-to-Server credential.
	 * @return the client id
	 */
	String getClientId();

	/**
	 * Client secret of the OAuth Server-to-Server credential.
	 * @return the client secret
	 */
	String getClientSecret();

	/**
	 * IMS organization id.
	 * @return the organization id
	 */
	String getOrgId();

	/**
	 * Scopes to request.
	 * @return the scopes
	 */
	List<String> getScopes();

}
