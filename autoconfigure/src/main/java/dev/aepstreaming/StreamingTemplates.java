package dev.aepstreaming;

import java.util.Set;

/**
 * The templates of all configured streaming connections, by name: {@code default} for the
 * connection of the top-level {@code aep.streaming.*} properties and the name of each
 * entry of {@code aep.streaming.connections.<name>.*}. <pre class="code">
 * templates.get("orders").send(order);
 * </pre>
 *
 * @author aep-streaming
 */
public interface StreamingTemplates {

	/**
	 * The name of the connection configured by the top-level {@code aep.streaming.*}
	 * properties.
	 */
	String DEFAULT_CONNECTION = "default";

	/**
	 * Return the blocking template of a connection.
	 * @param connectionName the name of the connection
	 * @return its template
	 * @throws IllegalArgumentException if no connection has that name
	 */
	StreamingOperations get(String connectionName);

	/**
	 * Return the reactive template of a connection.
	 * @param connectionName the name of the connection
	 * @return its reactive template
	 * @throws IllegalArgumentException if no connection has that name
	 */
	ReactiveStreamingOperations getReactive(String connectionName);

	/**
	 * Return the names of all connections, {@link #DEFAULT_CONNECTION} first.
	 * @return the connection names
	 */
	Set<String> getNames();

}
