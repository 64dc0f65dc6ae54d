package dev.aepstreaming.delivery;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.log.LogMessage;

/**
 * The default {@link DeadLetterHandler}: logs each failed event at {@code WARN} with its
 * id and the reason, never its payload, and counts them.
 *
 * @author aep-streaming
 */
public final class LoggingDeadLetterHandler implements DeadLetterHandler {

	private static final Log logger = LogFactory.getLog(LoggingDeadLetterHandler.class);

	private final AtomicLong count = new AtomicLong();

	@Override
	public void handle(DeadLetter letter) {
		this.count.incrementAndGet();
		logger.warn(LogMessage.format("Event %s for connection '%s' was not delivered: %s", letter.eventId(),
				letter.connectionId(), letter.reason().getMessage()));
	}

	/**
	 * Return how many events this handler has received.
	 * @return the number of dead letters
	 */
	public long getCount() {
		return this.count.get();
	}

}
