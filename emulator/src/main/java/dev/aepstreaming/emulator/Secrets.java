package dev.aepstreaming.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Comparison of secrets that takes the same time whatever the position of the first
 * differing character, so that even a local emulator does not model a timing leak.
 *
 * @author aep-streaming
 */
final class Secrets {

	private Secrets() {
	}

	static boolean constantTimeEquals(String expected, String actual) {
		if (expected == null || actual == null) {
			return false;
		}
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				actual.getBytes(StandardCharsets.UTF_8));
	}

}
