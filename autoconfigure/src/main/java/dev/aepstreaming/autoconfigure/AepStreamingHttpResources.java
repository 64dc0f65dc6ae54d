package dev.aepstreaming.autoconfigure;

import java.time.Duration;

import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;

/**
 * The connection pool of the streaming endpoint, sized to
 * {@code aep.streaming.max-in-flight}. Reactor Netty's shared pool holds far fewer
 * connections on a small machine (16 on two cores), so the requests allowed in flight
 * would otherwise queue for a connection. Idle connections are closed before load
 * balancers usually drop them, so that a request rarely meets a connection closed under
 * it. Disposed when the context is destroyed, after the delivery lifecycle has flushed.
 *
 * @author aep-streaming
 */
class AepStreamingHttpResources implements DisposableBean {

	private static final Duration MAX_IDLE_TIME = Duration.ofSeconds(30);

	private final ConnectionProvider connectionProvider;

	AepStreamingHttpResources(int maxConnections) {
		this.connectionProvider = ConnectionProvider.builder("aep-streaming")
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(MAX_IDLE_TIME)
			.build();
	}

	ConnectionProvider getConnectionProvider() {
		return this.connectionProvider;
	}

	@Override
	public void destroy() {
		this.connectionProvider.dispose();
	}

}
