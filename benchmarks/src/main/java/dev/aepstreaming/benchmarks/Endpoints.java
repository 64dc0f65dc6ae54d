package dev.aepstreaming.benchmarks;

import java.time.Duration;

import dev.aepstreaming.emulator.AepEmulator;
import dev.aepstreaming.emulator.EmulatorEndpoint;

/**
 * The token endpoint of the benchmarks: the emulator's IMS, answering each token request
 * after a fixed {@link BenchmarkSettings#TOKEN_LATENCY}.
 *
 * @author aep-streaming
 */
final class Endpoints {

	private Endpoints() {
	}

	static AepEmulator tokenEndpoint(Duration tokenLifetime) {
		AepEmulator emulator = AepEmulator.builder().tokenLifetime(tokenLifetime).build().start();
		emulator.faults().latency(EmulatorEndpoint.TOKEN, BenchmarkSettings.TOKEN_LATENCY);
		return emulator;
	}

}
