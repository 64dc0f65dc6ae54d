package dev.aepstreaming.autoconfigure;

import java.util.List;

/**
 * Thrown at startup when the streaming configuration is incomplete or unsafe. Each
 * problem names the property to fix.
 *
 * @author aep-streaming
 */
public class InvalidAepStreamingConfigurationException extends RuntimeException {

	private final List<String> problems;

	/**
	 * Create a new exception.
	 * @param problems what is wrong, one entry per problem, each naming its property
	 */
	public InvalidAepStreamingConfigurationException(List<String> problems) {
		super("Invalid AEP streaming configuration:" + System.lineSeparator() + "    - "
				+ String.join(System.lineSeparator() + "    - ", problems));
		this.problems = List.copyOf(problems);
	}

	/**
	 * Return the problems found.
	 * @return one entry per problem
	 */
	public List<String> getProblems() {
		return this.problems;
	}

}
