package dev.aepstreaming.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.aepstreaming.ReactiveStreamingOperations;
import dev.aepstreaming.StreamingOperations;
import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.ims.ImsTokenManager;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Every configured streaming connection with the parts that deliver to it: the
 * {@link StreamingTemplates} an application uses, and what metrics, health checks and the
 * shutdown need to reach each connection's delivery engine and IMS token.
 *
 * @author aep-streaming
 */
public final class AepStreamingConnections implements StreamingTemplates {

	private final Map<String, Connection> connections;

	/**
	 * Create a new instance.
	 * @param connections the connections, the default first
	 */
	public AepStreamingConnections(List<Connection> connections) {
		Assert.notEmpty(connections, "'connections' must not be empty");
		Map<String, Connection> byName = new LinkedHashMap<>();
		for (Connection connection : connections) {
			Assert.isTrue(byName.put(connection.name(), connection) == null,
					() -> "Connection name '" + connection.name() + "' is used twice");
		}
		this.connections = Collections.unmodifiableMap(byName);
	}

	@Override
	public StreamingOperations get(String connectionName) {
		return getConnection(connectionName).template();
	}

	@Override
	public ReactiveStreamingOperations getReactive(String connectionName) {
		return getConnection(connectionName).reactiveTemplate();
	}

	@Override
	public Set<String> getNames() {
		return this.connections.keySet();
	}

	/**
	 * Return a connection by name.
	 * @param connectionName the name of the connection
	 * @return the connection
	 * @throws IllegalArgumentException if no connection has that name
	 */
	public Connection getConnection(String connectionName) {
		Connection connection = this.connections.get(connectionName);
		if (connection == null) {
			throw new IllegalArgumentException("No AEP streaming connection is named '" + connectionName
					+ "'; the configured ones are " + this.connections.keySet()
					+ " (add it under aep.streaming.connections." + connectionName + ")");
		}
		return connection;
	}

	/**
	 * Return all connections, the default first.
	 * @return the connections
	 */
	public List<Connection> getConnections() {
		return List.copyOf(this.connections.values());
	}

	/**
	 * Return the token managers of all connections, each once: connections that share a
	 * credential share its token manager.
	 * @return the distinct token managers
	 */
	public List<ImsTokenManager> getTokenManagers() {
		Map<ImsTokenManager, Boolean> seen = new IdentityHashMap<>();
		List<ImsTokenManager> tokenManagers = new ArrayList<>();
		for (Connection connection : this.connections.values()) {
			ImsTokenManager tokenManager = connection.tokenManager();
			if (tokenManager != null && seen.put(tokenManager, Boolean.TRUE) == null) {
				tokenManagers.add(tokenManager);
			}
		}
		return tokenManagers;
	}

	@Override
	public String toString() {
		return "AepStreamingConnections" + this.connections.keySet();
	}

	/**
	 * One streaming connection.
	 *
	 * @param name the name of the connection in the configuration
	 * @param connectionId the id of the AEP streaming connection
	 * @param deliveryEngine the engine that delivers to it
	 * @param tokenManager the manager of its IMS token, or {@code null} for an
	 * unauthenticated connection
	 * @param template its blocking template
	 * @param reactiveTemplate its reactive template
	 */
	public record Connection(String name, String connectionId, DeliveryEngine deliveryEngine,
			@Nullable ImsTokenManager tokenManager, StreamingOperations template,
			ReactiveStreamingOperations reactiveTemplate) {

		public Connection {
			Assert.hasText(name, "'name' must not be empty");
			Assert.hasText(connectionId, "'connectionId' must not be empty");
			Assert.notNull(deliveryEngine, "'deliveryEngine' must not be null");
			Assert.notNull(template, "'template' must not be null");
			Assert.notNull(reactiveTemplate, "'reactiveTemplate' must not be null");
		}

	}

}
