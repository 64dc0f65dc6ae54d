package dev.aepstreaming.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown report, built section by section, with the targets that were missed
 * collected for a summary at the top.
 *
 * @author aep-streaming
 */
final class Report {

	private final StringBuilder body = new StringBuilder();

	private final List<String> verdicts = new ArrayList<>();

	private final List<String> failures = new ArrayList<>();

	Report heading(String text) {
		this.body.append("\n## ").append(text).append("\n\n");
		return this;
	}

	Report paragraph(String text) {
		this.body.append(text).append("\n\n");
		return this;
	}

	Report table(String... header) {
		this.body.append("| ").append(String.join(" | ", header)).append(" |\n|");
		this.body.append(" --- |".repeat(header.length)).append("\n");
		return this;
	}

	Report row(Object... cells) {
		this.body.append("|");
		for (Object cell : cells) {
			this.body.append(" ").append(cell).append(" |");
		}
		this.body.append("\n");
		return this;
	}

	Report endTable() {
		this.body.append("\n");
		return this;
	}

	/**
	 * Record whether a target was met, for the summary.
	 * @param target the target
	 * @param met whether it was met
	 * @param detail the measured value
	 * @return whether it was met
	 */
	boolean target(String target, boolean met, String detail) {
		this.verdicts.add(((met) ? "met" : "**MISSED**") + ": " + target + " (" + detail + ")");
		return met;
	}

	void failure(String section, Throwable ex) {
		StringWriter trace = new StringWriter();
		ex.printStackTrace(new PrintWriter(trace));
		this.failures.add(section);
		paragraph("**This benchmark failed to run:** `" + ex + "`\n\n```\n" + abbreviate(trace.toString()) + "\n```");
	}

	boolean hasFailures() {
		return !this.failures.isEmpty();
	}

	long missedTargets() {
		return this.verdicts.stream().filter((verdict) -> verdict.startsWith("**MISSED**")).count();
	}

	void write(Path output, String preamble) throws IOException {
		StringBuilder summary = new StringBuilder("\n## Targets\n\n");
		this.verdicts.forEach((verdict) -> summary.append("- ").append(verdict).append("\n"));
		this.failures.forEach((section) -> summary.append("- **FAILED TO RUN**: ").append(section).append("\n"));
		Path parent = output.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		Files.writeString(output, preamble + summary + this.body, StandardCharsets.UTF_8);
	}

	static String number(double value) {
		double magnitude = Math.abs(value);
		if (magnitude >= 100) {
			return String.format(Locale.ROOT, "%,.0f", value);
		}
		return String.format(Locale.ROOT, (magnitude >= 10) ? "%.1f" : "%.2f", value);
	}

	static String ratio(double value) {
		return String.format(Locale.ROOT, "%.3f", value);
	}

	static String millis(double value) {
		return String.format(Locale.ROOT, "%.2f ms", value);
	}

	private static String abbreviate(String text) {
		return (text.length() > 3000) ? text.substring(0, 3000) + "\n…" : text;
	}

}
