package dev.aepstreaming.ims;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

import dev.aepstreaming.ImsTokenException;
import dev.aepstreaming.StreamingTemplates;
import dev.aepstreaming.observation.AepStreamingObservation;
import dev.aepstreaming.observation.DefaultImsTokenRequestObservationConvention;
import dev.aepstreaming.observation.ImsTokenRequestContext;
import dev.aepstreaming.observation.ImsTokenRequestObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

import org.springframework.core.log.LogMessage;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.util.Assert;

/**
 * Keeps one IMS access token per credential valid for every sender, adding what Spring
 * Security's client-credentials support lacks:
 * <ul>
 * <li><b>Single flight.</b> However many senders ask at once, at most one token request
 * is in flight; every caller that needs it subscribes to that one request.</li>
 * <li><b>Refresh ahead.</b> A new token is requested in the background once the current
 * one enters its refresh window, a margin before expiry that is jittered (up to a fifth
 * of the margin earlier) so that a fleet started together does not refresh together. No
 * send waits while the current token is valid.</li>
 * <li><b>Short-lived tokens.</b> The margin is the configured
 * {@linkplain #setRefreshBeforeExpiry(Duration) refresh-before-expiry} but at most a
 * quarter of the token's lifetime, so a token that lives 10 seconds is refreshed once,
 * after about 7 seconds, rather than on every request. A token is not handed out in the
 * last tenth of its life (at most 30 seconds), which covers clock drift and the time a
 * request spends in flight.</li>
 * <li><b>Stale while revalidating.</b> When IMS fails or times out while the current
 * token is still valid, the current token stays in use and the refresh is retried with
 * exponential backoff and jitter. Senders fail only when no valid token remains, with an
 * {@link ImsTokenException} that says whether IMS is unreachable or rejecting, and
 * why.</li>
 * <li><b>Credential errors.</b> IMS answers {@code invalid_client} or
 * {@code invalid_scope} for a wrong client id, secret or scope. Retrying will not fix
 * those, so the next attempt waits the maximum backoff; meanwhile senders without a valid
 * token fail at once with an exception that names the client id and IMS's error.</li>
 * <li><b>Invalidation after a 401.</b> {@link #invalidate(ImsAccessToken)} drops exactly
 * the token that AEP refused, never a newer one that another sender already fetched.</li>
 * </ul>
 * Adobe asks clients to "cache access tokens for reuse until they expire" and warns that
 * it can throttle integrations that generate too many; IMS's {@code expires_in} is in
 * seconds (about 24 hours) and several tokens can be valid at once, so replacing a token
 * early never breaks requests that still carry the old one.
 * <p>
 * All decisions read the injected {@link Clock}; the background refresh timer is only a
 * wake-up call and re-checks the clock before it acts.
 * <p>
 * With an {@linkplain #setObservationRegistry(ObservationRegistry) observation registry},
 * each token request is an {@link AepStreamingObservation#TOKEN_REQUEST} observation.
 *
 * @author aep-streaming
 */
public final class ImsTokenManager implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ImsTokenManager.class);

	private static final DefaultImsTokenRequestObservationConvention DEFAULT_OBSERVATION_CONVENTION = new DefaultImsTokenRequestObservationConvention();

	/**
	 * OAuth2 error codes by which IMS rejects the credential itself (RFC 6749, section
	 * 5.2); retrying does not help.
	 */
	private static final Set<String> CREDENTIAL_ERRORS = Set.of("invalid_client", "invalid_scope",
			"unauthorized_client", "invalid_grant", "unsupported_grant_type", "invalid_request");

	private static final double MAX_REFRESH_FRACTION = 0.25;

	private static final double MAX_EXPIRY_SKEW_FRACTION = 0.1;

	private static final Duration MAX_EXPIRY_SKEW = Duration.ofSeconds(30);

	private static final double REFRESH_JITTER_FRACTION = 0.2;

	private static final Duration MIN_TIMER_DELAY = Duration.ofMillis(100);

	private static final Duration MIN_LIFETIME = Duration.ofSeconds(1);

	/**
	 * The longest lifetime trusted: IMS issues tokens for about 24 hours. A longer one,
	 * from another OAuth2 server or a faulty answer, is refreshed within a day all the
	 * same.
	 */
	private static final Duration MAX_LIFETIME = Duration.ofHours(24);

	private final ImsAccessTokenFetcher fetcher;

	private final String clientId;

	private final String tokenUri;

	private final AtomicReference<State> state = new AtomicReference<>(State.EMPTY);

	private final AtomicLong tokenRequests = new AtomicLong();

	private final AtomicReference<Disposable> timer = new AtomicReference<>();

	private volatile boolean closed;

	private volatile Instant lastUnprovenReplacement = Instant.MIN;

	private Clock clock = Clock.systemUTC();

	private Duration refreshBeforeExpiry = Duration.ofMinutes(5);

	private Duration tokenRequestTimeout = Duration.ofSeconds(10);

	private Duration initialRetryBackoff = Duration.ofSeconds(1);

	private Duration maxRetryBackoff = Duration.ofMinutes(1);

	private Duration minReauthenticationInterval = Duration.ofSeconds(10);

	private RandomGenerator random = new Random();

	private volatile ImsTokenListener[] listeners = new ImsTokenListener[0];

	private Scheduler scheduler = Schedulers.parallel();

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	@Nullable private ImsTokenRequestObservationConvention observationConvention;

	private String credentialName = StreamingTemplates.DEFAULT_CONNECTION;

	/**
	 * Create a new manager.
	 * @param fetcher what requests new tokens from IMS
	 * @param clientId the credential's client id, named in logs and errors
	 * @param tokenUri the IMS token endpoint, named in logs and errors
	 */
	public ImsTokenManager(ImsAccessTokenFetcher fetcher, String clientId, String tokenUri) {
		Assert.notNull(fetcher, "'fetcher' must not be null");
		Assert.hasText(clientId, "'clientId' must not be empty");
		Assert.hasText(tokenUri, "'tokenUri' must not be empty");
		this.fetcher = fetcher;
		this.clientId = clientId;
		this.tokenUri = tokenUri;
	}

	/**
	 * Set the clock that every expiry and refresh decision reads.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "'clock' must not be null");
		this.clock = clock;
	}

	/**
	 * Set how long before expiry a new token is requested. Bounded by a quarter of each
	 * token's lifetime.
	 * @param refreshBeforeExpiry the refresh-ahead margin
	 */
	public void setRefreshBeforeExpiry(Duration refreshBeforeExpiry) {
		assertPositive(refreshBeforeExpiry, "refreshBeforeExpiry");
		this.refreshBeforeExpiry = refreshBeforeExpiry;
	}

	/**
	 * Set how long a token request may take before it counts as failed.
	 * @param tokenRequestTimeout the timeout
	 */
	public void setTokenRequestTimeout(Duration tokenRequestTimeout) {
		assertPositive(tokenRequestTimeout, "tokenRequestTimeout");
		this.tokenRequestTimeout = tokenRequestTimeout;
	}

	/**
	 * Set the pause after the first failed token request; it doubles with each further
	 * failure up to {@link #setMaxRetryBackoff(Duration) the maximum}.
	 * @param initialRetryBackoff the first pause
	 */
	public void setInitialRetryBackoff(Duration initialRetryBackoff) {
		assertPositive(initialRetryBackoff, "initialRetryBackoff");
		this.initialRetryBackoff = initialRetryBackoff;
	}

	/**
	 * Set the longest pause between failed token requests, also the pause after IMS
	 * rejected the credential.
	 * @param maxRetryBackoff the longest pause
	 */
	public void setMaxRetryBackoff(Duration maxRetryBackoff) {
		assertPositive(maxRetryBackoff, "maxRetryBackoff");
		this.maxRetryBackoff = maxRetryBackoff;
	}

	/**
	 * Set how old a token that AEP has never accepted must be before a {@code 401} may
	 * replace it, unless no such token was replaced within that time. Without this floor,
	 * a connection that refuses every token would cause a token request per send.
	 * @param minReauthenticationInterval the minimum age
	 */
	public void setMinReauthenticationInterval(Duration minReauthenticationInterval) {
		Assert.isTrue(minReauthenticationInterval != null && !minReauthenticationInterval.isNegative(),
				"'minReauthenticationInterval' must not be negative");
		this.minReauthenticationInterval = minReauthenticationInterval;
	}

	/**
	 * Set the source of the jitter applied to refresh times and backoffs.
	 * @param random the random generator, which must be safe for use by several threads
	 */
	public void setRandom(RandomGenerator random) {
		Assert.notNull(random, "'random' must not be null");
		this.random = random;
	}

	/**
	 * Set the scheduler of the background refresh timer.
	 * @param scheduler the scheduler
	 */
	public void setScheduler(Scheduler scheduler) {
		Assert.notNull(scheduler, "'scheduler' must not be null");
		this.scheduler = scheduler;
	}

	/**
	 * Set the registry of the observations of token requests. With the default,
	 * {@link ObservationRegistry#NOOP}, nothing is observed.
	 * @param observationRegistry the observation registry
	 */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		Assert.notNull(observationRegistry, "'observationRegistry' must not be null");
		this.observationRegistry = observationRegistry;
	}

	/**
	 * Set the convention that names the observations of token requests and decides their
	 * key values, instead of the {@link DefaultImsTokenRequestObservationConvention}.
	 * @param observationConvention the convention, or {@code null} for the default
	 */
	public void setObservationConvention(@Nullable ImsTokenRequestObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Set the name of the credential, used in observations: the name of the connection
	 * whose configuration defines it.
	 * @param credentialName the credential name, {@code default} unless set
	 */
	public void setCredentialName(String credentialName) {
		Assert.hasText(credentialName, "'credentialName' must not be empty");
		this.credentialName = credentialName;
	}

	/**
	 * Return a valid token: the current one at once while it is valid (starting a
	 * background refresh when it is due), otherwise the result of the one token request
	 * in flight.
	 * @return the token, or an {@link ImsTokenException} when none can be had
	 */
	public Mono<ImsAccessToken> getToken() {
		return Mono.defer(() -> {
			Instant now = this.clock.instant();
			State current = this.state.get();
			if (current.isUsableAt(now)) {
				if (current.isRefreshDueAt(now)) {
					refreshInBackground();
				}
				return Mono.just(current.token);
			}
			if (current.failure != null && now.isBefore(current.nextAttemptAt)) {
				return Mono.error(current.failure.toException());
			}
			return refresh();
		});
	}

	/**
	 * Drop a token that AEP refused, unless it was already replaced. A token that AEP
	 * accepted before, or that is older than the minimum reauthentication interval, is
	 * dropped: it was revoked or expired early. A younger token that never worked is
	 * dropped at most once per interval, which covers a token revoked before its first
	 * use, while a connection that refuses every token causes one token request per
	 * interval rather than one per send.
	 * @param refused the token that AEP refused
	 * @return whether the request is worth retrying with the token that
	 * {@link #getToken()} answers next
	 */
	public boolean invalidate(ImsAccessToken refused) {
		Assert.notNull(refused, "'refused' must not be null");
		while (true) {
			State current = this.state.get();
			if (current.token != refused) {
				return true;
			}
			Instant now = this.clock.instant();
			boolean unproven = !refused.isAccepted() && isYoungerThanInterval(refused.getObtainedAt(), now);
			if (unproven && isYoungerThanInterval(this.lastUnprovenReplacement, now)) {
				logger.debug(LogMessage.format(
						"AEP refused a new IMS token of client id '%s' that it never accepted; keeping it",
						this.clientId));
				return false;
			}
			if (this.state.compareAndSet(current, current.withoutToken(now))) {
				if (unproven) {
					this.lastUnprovenReplacement = now;
				}
				logger.debug(LogMessage.format(
						"AEP refused the IMS token of client id '%s' obtained at %s; requesting a new one",
						this.clientId, refused.getObtainedAt()));
				return true;
			}
		}
	}

	private boolean isYoungerThanInterval(Instant since, Instant now) {
		return since.isAfter(now.minus(this.minReauthenticationInterval));
	}

	/**
	 * Add a listener that hears of every token request, for example to record metrics.
	 * @param listener the listener
	 */
	public synchronized void addListener(ImsTokenListener listener) {
		Assert.notNull(listener, "'listener' must not be null");
		ImsTokenListener[] current = this.listeners;
		ImsTokenListener[] added = Arrays.copyOf(current, current.length + 1);
		added[current.length] = listener;
		this.listeners = added;
	}

	/**
	 * Return the client id of the credential whose tokens this manager holds.
	 * @return the client id
	 */
	public String getClientId() {
		return this.clientId;
	}

	/**
	 * Return the current token, valid or not.
	 * @return the token last obtained, unless it was invalidated
	 */
	public Optional<ImsAccessToken> getCurrentToken() {
		return Optional.ofNullable(this.state.get().token);
	}

	/**
	 * Return the current token if this manager would still hand it to a sender: until a
	 * little before its expiry (a tenth of its lifetime, at most 30 seconds), so that a
	 * request does not reach AEP with a token that expires on the way.
	 * @return the token that {@link #getToken()} would return at once, if any
	 */
	public Optional<ImsAccessToken> getUsableToken() {
		State current = this.state.get();
		return current.isUsableAt(this.clock.instant()) ? Optional.of(current.token) : Optional.empty();
	}

	/**
	 * Return how many token requests this manager has sent to IMS.
	 * @return the number of token requests
	 */
	public long getTokenRequestCount() {
		return this.tokenRequests.get();
	}

	/**
	 * Return the failure of the last token request, if it failed.
	 * @return an exception that describes the last failure, empty after a success
	 */
	public Optional<ImsTokenException> getLastFailure() {
		return Optional.ofNullable(this.state.get().failure).map(Failure::toException);
	}

	/**
	 * Stop the background refresh timer. Tokens already handed out stay valid.
	 */
	@Override
	public void close() {
		this.closed = true;
		Disposable scheduled = this.timer.getAndSet(null);
		if (scheduled != null) {
			scheduled.dispose();
		}
	}

	private void refreshInBackground() {
		if (!this.closed) {
			refresh().subscribe((token) -> {
			}, (ex) -> {
			});
		}
	}

	/**
	 * Join the token request in flight, or start one. The flight is part of the
	 * {@link State}, so the request's outcome replaces the flight in the same step that
	 * stores it, before any subscriber hears of it: whoever sees the new token or failure
	 * never joins the finished flight, and whoever sees no flight sees the outcome.
	 */
	private Mono<ImsAccessToken> refresh() {
		while (true) {
			State current = this.state.get();
			if (current.flight != null) {
				return current.flight;
			}
			AtomicReference<Mono<ImsAccessToken>> self = new AtomicReference<>();
			Runnable land = () -> land(self.get());
			Mono<ImsAccessToken> flight = Mono.deferContextual(this::fetchAndStore)
				.doOnTerminate(land)
				.doOnCancel(land)
				.cache();
			self.set(flight);
			if (this.state.compareAndSet(current, current.withFlight(flight))) {
				return flight;
			}
		}
	}

	/**
	 * Clear the given flight if its outcome did not, as when the request ended without
	 * storing one.
	 */
	private void land(Mono<ImsAccessToken> flight) {
		this.state.updateAndGet((current) -> (current.flight == flight) ? current.withFlight(null) : current);
	}

	/**
	 * Request a token and store it. The observation's parent is the one in the Reactor
	 * context of the caller that started the request, if any: later callers join it, and
	 * a background refresh has none.
	 */
	private Mono<ImsAccessToken> fetchAndStore(ContextView callerContext) {
		Instant requestedAt = this.clock.instant();
		long start = System.nanoTime();
		this.tokenRequests.incrementAndGet();
		logger.debug(LogMessage.format("Requesting an IMS access token for client id '%s' from %s", this.clientId,
				this.tokenUri));
		Observation observation = startObservation(callerContext);
		return Mono.defer(this.fetcher::fetchToken)
			.timeout(this.tokenRequestTimeout)
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("IMS answered no access token")))
			.map((token) -> toImsToken(token, requestedAt))
			.doOnNext(this::store)
			.onErrorMap(this::recordFailure)
			.doOnSuccess((token) -> requestCompleted(start, observation, null))
			.doOnError((ex) -> requestCompleted(start, observation,
					(ex instanceof ImsTokenException failure) ? failure
							: new ImsTokenException("The IMS token request failed: " + ex, false, null, ex)))
			.doOnCancel(() -> stopCancelled(observation));
	}

	@Nullable private Observation startObservation(ContextView callerContext) {
		if (this.observationRegistry.isNoop()) {
			return null;
		}
		ImsTokenRequestContext context = new ImsTokenRequestContext(this.credentialName);
		Observation parent = callerContext.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		return AepStreamingObservation.TOKEN_REQUEST
			.observation(this.observationConvention, DEFAULT_OBSERVATION_CONVENTION, () -> context,
					this.observationRegistry)
			.parentObservation(parent)
			.start();
	}

	private void requestCompleted(long start, @Nullable Observation observation, @Nullable ImsTokenException failure) {
		if (observation != null) {
			if (failure != null) {
				observation.error(failure);
			}
			else {
				((ImsTokenRequestContext) observation.getContext()).setTokenObtained(true);
			}
			observation.stop();
		}
		notifyListeners(start, failure);
	}

	/**
	 * Stop the observation of a token request that nobody waits for any more, as when the
	 * manager is closed with a request in flight.
	 */
	private static void stopCancelled(@Nullable Observation observation) {
		if (observation != null) {
			observation.stop();
		}
	}

	private void notifyListeners(long start, @Nullable ImsTokenException failure) {
		Duration duration = Duration.ofNanos(System.nanoTime() - start);
		for (ImsTokenListener listener : this.listeners) {
			try {
				listener.tokenRequestCompleted(duration, failure);
			}
			catch (RuntimeException ex) {
				logger.warn(LogMessage.format("Token listener %s failed", listener), ex);
			}
		}
	}

	private ImsAccessToken toImsToken(OAuth2AccessToken token, Instant requestedAt) {
		Duration lifetime = (token.getIssuedAt() != null && token.getExpiresAt() != null)
				? Duration.between(token.getIssuedAt(), token.getExpiresAt()) : Duration.ZERO;
		if (lifetime.compareTo(MIN_LIFETIME) < 0) {
			logger.warn(LogMessage.format("IMS announced a lifetime of %s for the token of client id '%s'; using %s",
					lifetime, this.clientId, MIN_LIFETIME));
			lifetime = MIN_LIFETIME;
		}
		return new ImsAccessToken(token.getTokenValue(), requestedAt, min(lifetime, MAX_LIFETIME));
	}

	private void store(ImsAccessToken token) {
		Duration lifetime = token.getLifetime();
		Duration skew = min(MAX_EXPIRY_SKEW, fraction(lifetime, MAX_EXPIRY_SKEW_FRACTION));
		Duration margin = max(skew, min(this.refreshBeforeExpiry, fraction(lifetime, MAX_REFRESH_FRACTION)));
		Duration jitter = fraction(margin, REFRESH_JITTER_FRACTION * this.random.nextDouble());
		Instant refreshAt = token.getExpiresAt().minus(margin).minus(jitter);
		Instant usableUntil = token.getExpiresAt().minus(skew);
		this.state.set(new State(token, refreshAt, usableUntil, Instant.MIN, 0, null, null));
		logger.debug(LogMessage.format(
				"Obtained an IMS access token for client id '%s' that expires at %s; next refresh at %s", this.clientId,
				token.getExpiresAt(), refreshAt));
		scheduleWakeUp(refreshAt);
	}

	private Throwable recordFailure(Throwable ex) {
		Instant now = this.clock.instant();
		Failure failure = describe(ex);
		while (true) {
			State current = this.state.get();
			int failures = current.consecutiveFailures + 1;
			Duration backoff = failure.credentialRejected ? this.maxRetryBackoff : backoff(failures);
			Instant nextAttemptAt = now.plus(backoff);
			State failed = new State(current.token, current.refreshAt, current.usableUntil, nextAttemptAt, failures,
					failure, null);
			if (this.state.compareAndSet(current, failed)) {
				logFailure(failed, now, backoff);
				scheduleWakeUp(nextAttemptAt);
				return failure.toException();
			}
		}
	}

	private void logFailure(State failed, Instant now, Duration backoff) {
		if (failed.isUsableAt(now)) {
			logger.warn(LogMessage.format(
					"Refreshing the IMS token of client id '%s' failed (%s); the current token stays in use until %s, "
							+ "next attempt in %s",
					this.clientId, failed.failure.reason, failed.usableUntil, backoff));
		}
		else {
			logger.warn(LogMessage.format("%s Next attempt in %s.", failed.failure.message, backoff));
		}
	}

	private Failure describe(Throwable ex) {
		if (ex instanceof OAuth2AuthorizationException oauth2Failure
				&& CREDENTIAL_ERRORS.contains(oauth2Failure.getError().getErrorCode())) {
			String code = oauth2Failure.getError().getErrorCode();
			String description = oauth2Failure.getError().getDescription();
			String reason = code + ((description != null) ? " (" + description + ")" : "");
			String message = "IMS at " + this.tokenUri + " rejected the credential of client id '" + this.clientId
					+ "': " + reason + ". Check aep.streaming.ims.client-id, aep.streaming.ims.client-secret and "
					+ "aep.streaming.ims.scopes against the OAuth Server-to-Server credential in Adobe Developer "
					+ "Console.";
			return new Failure(message, reason, true, code, ex);
		}
		String reason = (ex instanceof TimeoutException)
				? "IMS did not answer within " + this.tokenRequestTimeout.toMillis() + " ms" : ex.toString();
		String code = (ex instanceof OAuth2AuthorizationException oauth2Failure)
				? oauth2Failure.getError().getErrorCode() : null;
		String message = "Could not obtain an IMS access token for client id '" + this.clientId + "' from "
				+ this.tokenUri + ": IMS is unreachable or failing: " + reason + ".";
		return new Failure(message, reason, false, code, ex);
	}

	private Duration backoff(int failures) {
		long initial = this.initialRetryBackoff.toMillis();
		long doubled = initial << Math.min(failures - 1, 20);
		long capped = Math.min(Math.max(doubled, initial), this.maxRetryBackoff.toMillis());
		double jitter = 0.5 + 0.5 * this.random.nextDouble();
		return Duration.ofMillis(Math.max(1, Math.round(capped * jitter)));
	}

	/**
	 * Wake up at the given instant to refresh in the background if a refresh is then due.
	 * The timer is a hint only: the clock decides, and a wake-up before time schedules
	 * the next one.
	 */
	private void scheduleWakeUp(Instant at) {
		if (this.closed) {
			return;
		}
		Duration delay = max(MIN_TIMER_DELAY, Duration.between(this.clock.instant(), at));
		Disposable scheduled = this.scheduler.schedule(this::wakeUp, delay.toMillis(), TimeUnit.MILLISECONDS);
		Disposable previous = this.timer.getAndSet(scheduled);
		if (previous != null) {
			previous.dispose();
		}
		if (this.closed) {
			scheduled.dispose();
		}
	}

	private void wakeUp() {
		Instant now = this.clock.instant();
		State current = this.state.get();
		if (now.isBefore(current.nextAttemptAt)) {
			scheduleWakeUp(current.nextAttemptAt);
		}
		else if (current.token == null || current.isRefreshDueAt(now)) {
			refreshInBackground();
		}
		else {
			scheduleWakeUp(current.refreshAt);
		}
	}

	private static Duration fraction(Duration duration, double fraction) {
		return Duration.ofNanos((long) (duration.toNanos() * fraction));
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private static void assertPositive(Duration duration, String name) {
		Assert.isTrue(duration != null && !duration.isNegative() && !duration.isZero(),
				() -> "'" + name + "' must be positive");
	}

	/**
	 * What the manager knows at one moment, including the token request in flight.
	 * Replaced as a whole, never mutated.
	 */
	private record State(@Nullable ImsAccessToken token, Instant refreshAt, Instant usableUntil, Instant nextAttemptAt,
			int consecutiveFailures, @Nullable Failure failure, @Nullable Mono<ImsAccessToken> flight) {

		static final State EMPTY = new State(null, Instant.MIN, Instant.MIN, Instant.MIN, 0, null, null);

		boolean isUsableAt(Instant now) {
			return this.token != null && now.isBefore(this.usableUntil);
		}

		boolean isRefreshDueAt(Instant now) {
			return !now.isBefore(this.refreshAt) && !now.isBefore(this.nextAttemptAt);
		}

		State withoutToken(Instant now) {
			return new State(null, Instant.MIN, Instant.MIN, now, this.consecutiveFailures, null, this.flight);
		}

		State withFlight(@Nullable Mono<ImsAccessToken> flight) {
			return new State(this.token, this.refreshAt, this.usableUntil, this.nextAttemptAt, this.consecutiveFailures,
					this.failure, flight);
		}

	}

	/**
	 * The last failed token request, kept to answer callers during the backoff with a
	 * fresh exception each (an exception instance is not shared between threads).
	 */
	private record Failure(String message, String reason, boolean credentialRejected, @Nullable String code,
			Throwable cause) {

		ImsTokenException toException() {
			return new ImsTokenException(this.message, this.credentialRejected, this.code, this.cause);
		}

	}

}
