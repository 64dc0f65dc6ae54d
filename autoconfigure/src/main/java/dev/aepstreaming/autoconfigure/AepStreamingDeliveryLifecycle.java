package dev.aepstreaming.autoconfigure;

import java.time.Duration;

import dev.aepstreaming.delivery.DeliveryEngine;
import dev.aepstreaming.ims.ImsTokenManager;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Flushes the {@link DeliveryEngine} when the application context closes. Its phase makes
 * it stop after the web server has stopped taking requests (Spring Boot's graceful
 * shutdown runs in a higher phase) and before any bean is destroyed, so the HTTP client
 * is still there while buffered events are delivered.
 *
 * @author aep-streaming
 */
class AepStreamingDeliveryLifecycle implements SmartLifecycle {

	/**
	 * The phase: below the web server's graceful shutdown
	 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024}) and its stop ({@code - 2048}).
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final DeliveryEngine deliveryEngine;

	private final Duration timeout;

	@Nullable private final ImsTokenManager tokenManager;

	private volatile boolean running;

	AepStreamingDeliveryLifecycle(DeliveryEngine deliveryEngine, Duration timeout,
			@Nullable ImsTokenManager tokenManager) {
		this.deliveryEngine = deliveryEngine;
		this.timeout = timeout;
		this.tokenManager = tokenManager;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		if (this.running) {
			this.running = false;
			this.deliveryEngine.shutdown(this.timeout);
			if (this.tokenManager != null) {
				this.tokenManager.close();
			}
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
