package dev.aepstreaming.observation;

import dev.aepstreaming.delivery.DeliveryListener.RequestKind;
import io.micrometer.observation.Observation;

import org.springframework.util.Assert;

/**
 * What the {@link AepStreamingObservation#SEND} observation knows of one delivery. Holds
 * counts and the answer's status only, never the messages.
 *
 * @author aep-streaming
 */
public class StreamingSendContext extends Observation.Context {

	private final String connectionName;

	private final String connectionId;

	private final RequestKind kind;

	private final int messageCount;

	private volatile int statusCode;

	private volatile boolean acknowledged;

	/**
	 * Create a new context.
	 * @param connectionName the name of the connection in the configuration
	 * @param connectionId the id of the AEP streaming connection
	 * @param kind whether one message or an explicit batch is sent
	 * @param messageCount how many messages are sent
	 */
	public StreamingSendContext(String connectionName, String connectionId, RequestKind kind, int messageCount) {
		Assert.hasText(connectionName, "'connectionName' must not be empty");
		Assert.hasText(connectionId, "'connectionId' must not be empty");
		Assert.notNull(kind, "'kind' must not be null");
		this.connectionName = connectionName;
		this.connectionId = connectionId;
		this.kind = kind;
		this.messageCount = messageCount;
	}

	/**
	 * Return the name of the connection in the configuration.
	 * @return the connection name, {@code default} for the top-level one
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Return the id of the AEP streaming connection.
	 * @return the connection id
	 */
	public String getConnectionId() {
		return this.connectionId;
	}

	/**
	 * Return whether one message or an explicit batch is sent. Single sends that the
	 * engine gathers into batch requests are {@link RequestKind#SINGLE}.
	 * @return the kind of delivery
	 */
	public RequestKind getKind() {
		return this.kind;
	}

	/**
	 * Return how many messages are sent.
	 * @return the message count
	 */
	public int getMessageCount() {
		return this.messageCount;
	}

	/**
	 * Return the HTTP status AEP answered last.
	 * @return the status, or {@code 0} before an answer or without one
	 */
	public int getStatusCode() {
		return this.statusCode;
	}

	/**
	 * Set the HTTP status AEP answered.
	 * @param statusCode the status, or {@code 0} without an answer
	 */
	public void setStatusCode(int statusCode) {
		this.statusCode = statusCode;
	}

	/**
	 * Return whether AEP acknowledged the delivery. An explicit batch whose messages AEP
	 * partly refused is acknowledged: its result says which.
	 * @return whether the delivery was acknowledged
	 */
	public boolean isAcknowledged() {
		return this.acknowledged;
	}

	/**
	 * Set whether AEP acknowledged the delivery.
	 * @param acknowledged whether the delivery was acknowledged
	 */
	public void setAcknowledged(boolean acknowledged) {
		this.acknowledged = acknowledged;
	}

}
