package dev.aepstreaming.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;

/**
 * A small HTTP proxy on loopback that opens {@code CONNECT} tunnels, as corporate proxies
 * do for TLS, and records the target of each tunnel it opened and of each request it
 * refused. It tunnels to loopback targets only, can require basic credentials
 * ({@code Proxy-Authorization}), answering {@code 407} to requests without the right
 * ones, and answers {@code 405} to anything but {@code CONNECT}. Every socket is closed
 * by {@link #close()}.
 *
 * @author aep-streaming
 */
public final class ConnectProxy implements AutoCloseable {

	private static final int HEADER_TIMEOUT_MILLIS = 10_000;

	private static final int MAX_HEADER_BYTES = 16 * 1024;

	private final ServerSocket serverSocket;

	@Nullable private final String expectedAuthorization;

	private final Queue<String> tunnels = new ConcurrentLinkedQueue<>();

	private final Queue<String> refusals = new ConcurrentLinkedQueue<>();

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private ConnectProxy(@Nullable String username, @Nullable String password) {
		this.expectedAuthorization = (username != null) ? "Basic "
				+ Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8))
				: null;
		try {
			this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::acceptConnections, "connect-proxy-" + port());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy that tunnels without asking for credentials.
	 * @return the proxy
	 */
	public static ConnectProxy start() {
		return new ConnectProxy(null, null);
	}

	/**
	 * Start a proxy that tunnels only for requests with these basic credentials.
	 * @param username the user name to require
	 * @param password the password to require
	 * @return the proxy
	 */
	public static ConnectProxy requiringCredentials(String username, String password) {
		return new ConnectProxy(username, password);
	}

	public String host() {
		return this.serverSocket.getInetAddress().getHostAddress();
	}

	public int port() {
		return this.serverSocket.getLocalPort();
	}

	/**
	 * Return the {@code host:port} targets of the tunnels opened, in order.
	 * @return the targets
	 */
	public List<String> tunnels() {
		return List.copyOf(this.tunnels);
	}

	/**
	 * Return the {@code host:port} targets of the requests refused for their credentials,
	 * in order.
	 * @return the targets
	 */
	public List<String> refusals() {
		return List.copyOf(this.refusals);
	}

	private void acceptConnections() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket client = this.serverSocket.accept();
				this.sockets.add(client);
				Thread handler = new Thread(() -> handle(client), "connect-proxy-client");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void handle(Socket client) {
		try {
			client.setSoTimeout(HEADER_TIMEOUT_MILLIS);
			List<String> head = readHead(client.getInputStream());
			String[] requestLine = head.isEmpty() ? new String[0] : head.get(0).split(" ");
			if (requestLine.length != 3 || !"CONNECT".equals(requestLine[0])) {
				answer(client, "405 Method Not Allowed");
				return;
			}
			String target = requestLine[1];
			if (this.expectedAuthorization != null
					&& !this.expectedAuthorization.equals(header(head, "proxy-authorization"))) {
				this.refusals.add(target);
				answer(client, "407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"");
				return;
			}
			int colon = target.lastIndexOf(':');
			InetAddress address = InetAddress.getByName(target.substring(0, colon));
			if (!address.isLoopbackAddress()) {
				answer(client, "403 Forbidden");
				return;
			}
			Socket upstream = new Socket();
			this.sockets.add(upstream);
			upstream.connect(new InetSocketAddress(address, Integer.parseInt(target.substring(colon + 1))), 5000);
			this.tunnels.add(target);
			client.setSoTimeout(0);
			client.getOutputStream()
				.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			Thread upstreamToClient = new Thread(() -> pump(upstream, client), "connect-proxy-tunnel");
			upstreamToClient.setDaemon(true);
			upstreamToClient.start();
			pump(client, upstream);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(client);
		}
	}

	private static List<String> readHead(InputStream in) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4 && bytes.size() < MAX_HEADER_BYTES) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			bytes.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		List<String> lines = new ArrayList<>();
		for (String line : bytes.toString(StandardCharsets.US_ASCII).split("\r\n")) {
			if (!line.isEmpty()) {
				lines.add(line);
			}
		}
		return lines;
	}

	private static @Nullable String header(List<String> head, String name) {
		for (String line : head.subList(1, head.size())) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
				return line.substring(colon + 1).trim();
			}
		}
		return null;
	}

	private static void answer(Socket client, String status) throws IOException {
		client.getOutputStream()
			.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		client.getOutputStream().flush();
		client.close();
	}

	private static void pump(Socket from, Socket to) {
		byte[] buffer = new byte[8192];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// The other direction closed the tunnel.
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	@Override
	public void close() {
		try {
			this.serverSocket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.sockets.forEach(ConnectProxy::closeQuietly);
	}

}
