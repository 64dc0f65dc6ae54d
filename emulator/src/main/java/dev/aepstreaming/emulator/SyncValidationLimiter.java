package dev.aepstreaming.emulator;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The limit that AEP documents for synchronous validation: 60 requests per minute per
 * connection. Counted per minute of the emulator's clock (a fixed window, which is
 * simpler than and at least as strict as a sliding one at the start of a minute).
 *
 * @author aep-streaming
 */
final class SyncValidationLimiter {

	private final Clock clock;

	private final int requestsPerMinute;

	private final Map<String, Window> windows = new ConcurrentHashMap<>();

	SyncValidationLimiter(Clock clock, int requestsPerMinute) {
		this.clock = clock;
		this.requestsPerMinute = requestsPerMinute;
	}

	boolean tryAcquire(String connectionId) {
		long minute = this.clock.millis() / 60_000;
		Window window = this.windows.compute(connectionId,
				(id, current) -> (current != null && current.minute == minute) ? current : new Window(minute));
		return window.count.incrementAndGet() <= this.requestsPerMinute;
	}

	void reset() {
		this.windows.clear();
	}

	private static final class Window {

		private final long minute;

		private final AtomicInteger count = new AtomicInteger();

		Window(long minute) {
			this.minute = minute;
		}

	}

}
