package dev.aepstreaming.emulator;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link AepEmulatorExtension}, used as documented.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AepEmulatorExtensionTests {

	@RegisterExtension
	static final AepEmulatorExtension aep = new AepEmulatorExtension(
			AepEmulator.builder().recorderCapacity(100).seed(3));

	private static int firstPort;

	@Test
	@Order(1)
	void emulatorRunsDuringTheTestsOfTheClass(AepEmulator emulator) {
		assertThat(emulator.isRunning()).isTrue();
		assertThat(aep.emulator()).isSameAs(emulator);
		assertThat(aep.tokenUri()).isEqualTo(aep.baseUrl() + "/ims/token/v3");
		firstPort = emulator.port();
		new EmulatorClient(emulator).fetchToken();
		aep.faults().errorRate(EmulatorEndpoint.SINGLE, 500, 1.0);
		assertThat(aep.recorder().tokenRequestCount()).isEqualTo(1);
	}

	@Test
	@Order(2)
	void recorderAndFaultsAreResetBetweenTestsOfTheSameEmulator() {
		assertThat(aep.emulator().port()).isEqualTo(firstPort);
		assertThat(aep.recorder().tokenRequestCount()).isZero();
		assertThat(aep.faults().get(EmulatorEndpoint.SINGLE)).isEqualTo(EndpointFaults.NONE);
		assertThat(aep.recorder().capacity()).isEqualTo(100);
	}

	@Nested
	class NestedTests {

		@Test
		void nestedTestsShareTheEmulatorOfTheOuterClass() {
			assertThat(aep.emulator().port()).isEqualTo(firstPort);
		}

	}

	@Nested
	class InstanceRegistration {

		@RegisterExtension
		final AepEmulatorExtension perTest = new AepEmulatorExtension();

		@Test
		void extensionOnAnInstanceFieldStartsAnEmulatorForTheTest() {
			assertThat(this.perTest.emulator().isRunning()).isTrue();
			assertThat(this.perTest.emulator().port()).isNotEqualTo(aep.emulator().port());
		}

	}

}
