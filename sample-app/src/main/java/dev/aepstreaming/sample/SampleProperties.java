package dev.aepstreaming.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the sample streams.
 *
 * @author aep-streaming
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	/**
	 * Number of events to stream.
	 */
	private int eventCount = 1000;

	/**
	 * Number of sends in flight at once.
	 */
	private int concurrency = 16;

	/**
	 * Events per second to stream at; 0 streams as fast as AEP answers.
	 */
	private double rate;

	public int getEventCount() {
		return this.eventCount;
	}

	public void setEventCount(int eventCount) {
		this.eventCount = eventCount;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public double getRate() {
		return this.rate;
	}

	public void setRate(double rate) {
		this.rate = rate;
	}

}
