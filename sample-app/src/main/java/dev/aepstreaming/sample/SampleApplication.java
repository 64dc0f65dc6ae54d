package dev.aepstreaming.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Streams synthetic XDM ExperienceEvents through the starter's templates, to the embedded
 * emulator unless configured for Adobe Experience Platform, and exits with {@code 0} only
 * if AEP acknowledged every event.
 *
 * @author aep-streaming
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(SampleApplication.class, args)));
	}

}
