package dev.aepstreaming.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.ProxyProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.StringUtils;

/**
 * The HTTP clients of the streaming and the token endpoint, with the connect and read
 * timeouts, the HTTP proxy and the TLS settings of {@code aep.streaming}.
 * <p>
 * The streaming endpoint's pool is sized to {@code aep.streaming.max-in-flight}: Reactor
 * Netty's shared pool holds far fewer connections on a small machine (16 on two cores),
 * so the requests allowed in flight would otherwise queue for a connection. The token
 * endpoint has a small pool of its own: Reactor Netty pools per remote address, so
 * sharing would not make token requests wait behind sends, but a pool of our own keeps
 * token requests off the host application's global pool, is labelled apart in Reactor
 * Netty's pool metrics and is disposed with the rest. Idle connections are closed before
 * load balancers usually drop them, so that a request rarely meets a connection closed
 * under it. Both pools are disposed when the context is destroyed, after the delivery
 * lifecycle has flushed.
 * <p>
 * Both run on event loops of their own ({@code aep-streaming-*} threads, as many as
 * Reactor Netty's default), which do not colocate. A Reactor Netty client colocates by
 * default: a connection opened from an event loop thread is registered on that same loop.
 * Senders woken by something that completes on one loop, such as the first IMS token at a
 * cold start, all go on from that thread, so every connection the pool then opens for
 * them would land on that one loop for as long as it lives, leaving the others idle; the
 * benchmarks measured half the throughput on two cores. Without colocation each new
 * connection takes the next loop in turn, as Reactor Netty advises through
 * {@code LoopResources.create(…, colocate = false)}. Loops of our own also keep the
 * clients working when the application disposes Reactor Netty's global resources, and are
 * shut down with the pools.
 * <p>
 * TLS material comes from the SSL bundle named by {@code aep.streaming.ssl.bundle}, the
 * way Spring Boot applies a bundle to Reactor Netty; Boot's own connector builder is not
 * used because its module would bring further auto-configurations into every host
 * application. Note: a bundle that Boot reloads is picked up on restart only.
 *
 * @author aep-streaming
 */
class AepStreamingHttpResources implements DisposableBean {

	private static final Duration MAX_IDLE_TIME = Duration.ofSeconds(30);

	private static final int IMS_MAX_CONNECTIONS = 4;

	private static final Duration LOOPS_SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

	private final AepStreamingProperties properties;

	private final ConnectionProvider streamingConnections;

	private final ConnectionProvider imsConnections;

	private final LoopResources loops;

	@Nullable private final SslContext sslContext;

	AepStreamingHttpResources(AepStreamingProperties properties, int maxConnections, @Nullable SslBundles sslBundles) {
		this.properties = properties;
		this.sslContext = sslContext(properties.getSsl().getBundle(), sslBundles);
		this.streamingConnections = pool("aep-streaming", maxConnections);
		this.imsConnections = pool("aep-streaming-ims", IMS_MAX_CONNECTIONS);
		this.loops = LoopResources.create("aep-streaming", 1, LoopResources.DEFAULT_IO_WORKER_COUNT, true, false);
	}

	private static ConnectionProvider pool(String name, int maxConnections) {
		return ConnectionProvider.builder(name)
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.maxIdleTime(MAX_IDLE_TIME)
			.build();
	}

	/**
	 * Return a connector to the streaming endpoint, on the pool sized to
	 * {@code aep.streaming.max-in-flight}.
	 * @return the connector
	 */
	ClientHttpConnector streamingConnector() {
		return connector(this.streamingConnections);
	}

	/**
	 * Return a connector to the IMS token endpoint, on a small pool of its own.
	 * @return the connector
	 */
	ClientHttpConnector imsConnector() {
		return connector(this.imsConnections);
	}

	ConnectionProvider getStreamingConnections() {
		return this.streamingConnections;
	}

	private ClientHttpConnector connector(ConnectionProvider connections) {
		int connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, this.properties.getConnectTimeout().toMillis());
		// Reactor Netty's responseTimeout is the longest pause between reads of a
		// response, which is what aep.streaming.read-timeout means.
		HttpClient httpClient = HttpClient.create(connections)
			.runOn(this.loops)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
			.responseTimeout(this.properties.getReadTimeout());
		AepStreamingProperties.Proxy proxy = this.properties.getProxy();
		if (StringUtils.hasText(proxy.getHost())) {
			httpClient = httpClient.proxy((spec) -> configureProxy(spec, proxy, connectTimeoutMillis));
		}
		SslContext sslContext = this.sslContext;
		if (sslContext != null) {
			httpClient = httpClient.secure((spec) -> spec.sslContext(sslContext));
		}
		return new ReactorClientHttpConnector(httpClient);
	}

	/**
	 * Netty's HTTP proxy handler opens a CONNECT tunnel for every target, http ones
	 * included, so the proxy sees host names and ports but no request. Its handshake has
	 * a timeout of its own (10 s by default), aligned here with the connect timeout.
	 */
	private static void configureProxy(ProxyProvider.TypeSpec spec, AepStreamingProperties.Proxy proxy,
			int connectTimeoutMillis) {
		ProxyProvider.Builder builder = spec.type(ProxyProvider.Proxy.HTTP)
			.host(proxy.getHost().trim())
			.port(proxy.getPort())
			.connectTimeoutMillis(connectTimeoutMillis);
		if (StringUtils.hasText(proxy.getUsername())) {
			String password = (proxy.getPassword() != null) ? proxy.getPassword() : "";
			builder.username(proxy.getUsername()).password((username) -> password);
		}
		String nonProxyHosts = nonProxyHostsPattern(proxy.getNonProxyHosts());
		if (nonProxyHosts != null) {
			builder.nonProxyHosts(nonProxyHosts);
		}
	}

	/**
	 * Turn host patterns such as {@code *.internal.example.com} into the regular
	 * expression that Reactor Netty matches, case-insensitively, against the target's
	 * host name: every character is literal but {@code *}, which matches any run of
	 * characters.
	 * @param patterns the patterns of {@code aep.streaming.proxy.non-proxy-hosts}
	 * @return the expression, or {@code null} when no host bypasses the proxy
	 */
	static @Nullable String nonProxyHostsPattern(@Nullable List<String> patterns) {
		if (patterns == null || patterns.stream().noneMatch(StringUtils::hasText)) {
			return null;
		}
		return patterns.stream()
			.filter(StringUtils::hasText)
			.map((pattern) -> Arrays.stream(pattern.trim().split("\\*", -1))
				.map((part) -> part.isEmpty() ? "" : Pattern.quote(part))
				.collect(Collectors.joining(".*")))
			.collect(Collectors.joining("|"));
	}

	private static @Nullable SslContext sslContext(@Nullable String bundleName, @Nullable SslBundles sslBundles) {
		if (!StringUtils.hasText(bundleName)) {
			return null;
		}
		SslBundle bundle = sslBundle(bundleName.trim(), sslBundles);
		try {
			return sslContext(bundle);
		}
		catch (Exception ex) {
			throw new InvalidAepStreamingConfigurationException(
					List.of("aep.streaming.ssl.bundle names the SSL bundle '" + bundleName
							+ "', whose key or trust material cannot be used for a TLS client: " + ex));
		}
	}

	private static SslBundle sslBundle(String bundleName, @Nullable SslBundles sslBundles) {
		if (sslBundles == null) {
			throw new InvalidAepStreamingConfigurationException(
					List.of("aep.streaming.ssl.bundle names the SSL bundle '" + bundleName
							+ "', but the application has no SslBundles bean; configure the bundle under "
							+ "spring.ssl.bundle.pem." + bundleName + " or spring.ssl.bundle.jks." + bundleName));
		}
		try {
			return sslBundles.getBundle(bundleName);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidAepStreamingConfigurationException(
					List.of("aep.streaming.ssl.bundle names the SSL bundle '" + bundleName
							+ "', but no bundle of that name is configured; define it under spring.ssl.bundle.pem."
							+ bundleName + " or spring.ssl.bundle.jks." + bundleName + ", or correct the name"));
		}
	}

	/**
	 * Build a client {@link SslContext} from the bundle's key and trust managers, with
	 * the protocols and ciphers that the bundle's options name, if any (Netty's defaults
	 * for those it leaves unset).
	 */
	private static SslContext sslContext(SslBundle bundle) throws Exception {
		SslManagerBundle managers = bundle.getManagers();
		SslOptions options = bundle.getOptions();
		return SslContextBuilder.forClient()
			.keyManager(managers.getKeyManagerFactory())
			.trustManager(managers.getTrustManagerFactory())
			.ciphers(SslOptions.asSet(options.getCiphers()))
			.protocols(options.getEnabledProtocols())
			.build();
	}

	@Override
	public void destroy() {
		this.streamingConnections.dispose();
		this.imsConnections.dispose();
		this.loops.disposeLater(Duration.ZERO, LOOPS_SHUTDOWN_TIMEOUT).block(LOOPS_SHUTDOWN_TIMEOUT.plusSeconds(1));
	}

}
