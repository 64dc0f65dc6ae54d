package dev.aepstreaming.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Reads a {@code Retry-After} header, which RFC 9110 (section 10.2.3) allows either as a
 * number of seconds or as an HTTP date.
 *
 * @author aep-streaming
 */
public final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * Parse a {@code Retry-After} value.
	 * @param value the header value
	 * @param clock the clock that an HTTP date is measured against
	 * @return the delay, never negative, or {@code null} when the value is absent or not
	 * understood
	 */
	@Nullable public static Duration parse(@Nullable String value, Clock clock) {
		if (!StringUtils.hasText(value)) {
			return null;
		}
		String trimmed = value.trim();
		try {
			long seconds = Long.parseLong(trimmed);
			return (seconds >= 0) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException ex) {
			return parseDate(trimmed, clock);
		}
	}

	@Nullable private static Duration parseDate(String value, Clock clock) {
		try {
			ZonedDateTime date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
			Duration delay = Duration.between(clock.instant(), date.toInstant());
			return delay.isNegative() ? Duration.ZERO : delay;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
