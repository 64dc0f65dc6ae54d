package dev.aepstreaming.benchmarks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import dev.aepstreaming.emulator.EmulatorCredential;

/**
 * The events that every client sends: an XDM ExperienceEvent of a page view of about 600
 * bytes, and the envelope around it for the clients that build their own.
 *
 * @author aep-streaming
 */
final class ExperienceEvents {

	static final String CONNECTION_ID = "bench-connection";

	static final String FLOW_ID = "bench-flow";

	static final String SCHEMA_ID = "https://ns.adobe.com/benchtenant/schemas/bench-experience-events";

	static final String SCHEMA_CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1";

	static final String DATASET_ID = "bench-dataset";

	static final String ORG_ID = EmulatorCredential.DEFAULT_ORG_ID;

	private static final List<String> PAGES = List.of("home", "products", "product-detail", "cart", "checkout");

	private ExperienceEvents() {
	}

	static Map<String, Object> entity() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String page = PAGES.get(random.nextInt(PAGES.size()));
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("_id", UUID.randomUUID().toString());
		event.put("timestamp", Instant.now().toString());
		event.put("eventType", "web.webpagedetails.pageViews");
		event.put("web", Map.of("webPageDetails",
				Map.of("name", page, "URL", "https://shop.example.com/" + page, "pageViews", Map.of("value", 1))));
		event.put("environment", Map.of("type", "browser", "browserDetails", Map.of("userAgent",
				"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")));
		event.put("identityMap", Map.of("ECID",
				List.of(Map.of("id", String.format("%038d", random.nextLong(Long.MAX_VALUE)), "primary", true))));
		return event;
	}

	static Map<String, Object> envelope(Map<String, Object> entity) {
		Map<String, Object> schemaRef = Map.of("id", SCHEMA_ID, "contentType", SCHEMA_CONTENT_TYPE);
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("schemaRef", schemaRef);
		header.put("imsOrgId", ORG_ID);
		header.put("datasetId", DATASET_ID);
		header.put("flowId", FLOW_ID);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("xdmMeta", Map.of("schemaRef", schemaRef));
		body.put("xdmEntity", entity);
		return Map.of("header", header, "body", body);
	}

}
