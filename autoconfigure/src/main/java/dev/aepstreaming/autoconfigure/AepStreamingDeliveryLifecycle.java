package dev.aepstreaming.autoconfigure;

import java.time.Duration;
import java.util.List;

import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.ims.ImsTokenManager;

import org.springframework.context.SmartLifecycle;

/**
 * Flushes the {@link DeliveryEngine} of every connection, and closes their IMS token
 * managers, when the application context closes. Its phase makes it stop after the web
 * server has stopped taking requests (Spring Boot's graceful shutdown runs in a higher
 * phase) and before any bean is destroyed, so the HTTP client is still there while
 * buffered events are delivered.
 *
 * @author aep-streaming
 */
class AepStreamingDeliveryLifecycle implements SmartLifecycle {

	/**
	 * The phase: below the web server's graceful shutdown
	 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024}) and its stop ({@code - 2048}).
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final AepStreamingConnections connections;

	private final Duration timeout;

	private volatile boolean running;

	AepStreamingDeliveryLifecycle(AepStreamingConnections connections, Duration timeout) {
		this.connections = connections;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		if (this.running) {
			this.running = false;
			List<DeliveryEngine> engines = this.connections.getConnections()
				.stream()
				.map(AepStreamingConnections.Connection::deliveryEngine)
				.toList();
			// Stop every connection taking events first, so that while one drains the
			// others do not take more; then give them all one shared timeout.
			engines.forEach(DeliveryEngine::stopAccepting);
			long deadline = System.nanoTime() + this.timeout.toNanos();
			for (DeliveryEngine engine : engines) {
				engine.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
			}
			this.connections.getTokenManagers().forEach(ImsTokenManager::close);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
