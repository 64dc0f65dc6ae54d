package dev.aepstreaming.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetryAfter}.
 *
 * @author aep-streaming
 */
class RetryAfterTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

	@Test
	void readsANumberOfSeconds() {
		assertThat(RetryAfter.parse("7", CLOCK)).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void readsANumberOfSecondsSurroundedByWhitespace() {
		assertThat(RetryAfter.parse(" 120 ", CLOCK)).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void readsZeroSecondsAsNoDelay() {
		assertThat(RetryAfter.parse("0", CLOCK)).isEqualTo(Duration.ZERO);
	}

	@Test
	void measuresAnHttpDateAgainstTheClock() {
		assertThat(RetryAfter.parse("Wed, 01 Jan 2025 00:01:30 GMT", CLOCK)).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void measuresAnHttpDateAgainstAnotherClockDifferently() {
		Clock later = Clock.offset(CLOCK, Duration.ofSeconds(60));
		assertThat(RetryAfter.parse("Wed, 01 Jan 2025 00:01:30 GMT", later)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void readsAnHttpDateInThePastAsNoDelay() {
		assertThat(RetryAfter.parse("Tue, 31 Dec 2024 23:59:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
	}

	@Test
	void ignoresAnAbsentOrBlankValue() {
		assertThat(RetryAfter.parse(null, CLOCK)).isNull();
		assertThat(RetryAfter.parse("", CLOCK)).isNull();
		assertThat(RetryAfter.parse("  ", CLOCK)).isNull();
	}

	@Test
	void ignoresANegativeNumber() {
		assertThat(RetryAfter.parse("-5", CLOCK)).isNull();
	}

	@Test
	void ignoresAValueThatIsNeitherSecondsNorADate() {
		assertThat(RetryAfter.parse("soon", CLOCK)).isNull();
		assertThat(RetryAfter.parse("1.5", CLOCK)).isNull();
	}

}
