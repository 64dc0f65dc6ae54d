package dev.aepstreaming.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.reactive.function.client.ClientRequest;

/**
 * The response timeout of one send, carried to the {@link StreamingHttpClient}'s filters
 * as a request attribute. It bounds each request sent to AEP on its own, from the moment
 * the innermost filter passes the request on to the last byte of AEP's answer.
 * <p>
 * A send is one request, unless AEP refuses its token: the
 * {@link ImsBearerExchangeFilterFunction} then obtains a new token from IMS and sends the
 * request once more. That filter stops the timer once it has read the refusal, so that
 * the token request, which has a timeout of its own, is not counted against AEP; sending
 * the request again starts the timer again with the whole time allowed.
 *
 * @author aep-streaming
 */
final class ResponseTimer {

	/**
	 * The name of the request attribute that holds a send's timer.
	 */
	static final String ATTRIBUTE = ResponseTimer.class.getName();

	private final Duration timeout;

	private final Sinks.Empty<Void> expiry = Sinks.empty();

	private final Disposable.Swap running = Disposables.swap();

	/**
	 * Create the timer of a send; it starts when the send's request is passed on.
	 * @param timeout the time allowed for each request
	 */
	ResponseTimer(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Return a {@code Mono} that completes when a request's time runs out. Cancelling it,
	 * as {@code timeout} does once the send has ended, stops the timer for good.
	 * @return the expiry of this timer
	 */
	Mono<Void> expiry() {
		return this.expiry.asMono().doOnCancel(this.running::dispose);
	}

	/**
	 * Start the timer of the send that the given request belongs to, with the whole time
	 * allowed, if the request belongs to a send.
	 * @param request the request that is being sent
	 */
	static void start(ClientRequest request) {
		if (request.attributes().get(ATTRIBUTE) instanceof ResponseTimer timer) {
			timer.running
				.update(Schedulers.parallel().schedule(timer::expire, timer.timeout.toNanos(), TimeUnit.NANOSECONDS));
		}
	}

	/**
	 * Stop the timer of the send that the given request belongs to, if the request
	 * belongs to a send, until the request is sent again.
	 * @param request the request that AEP has answered
	 */
	static void stop(ClientRequest request) {
		if (request.attributes().get(ATTRIBUTE) instanceof ResponseTimer timer) {
			timer.running.update(null);
		}
	}

	private void expire() {
		this.expiry.tryEmitEmpty();
	}

}
