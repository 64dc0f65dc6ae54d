package dev.aepstreaming.sample;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes plausible XDM ExperienceEvents of a web site: a unique {@code _id}, an ISO-8601
 * {@code timestamp}, an {@code eventType} and the page, browser and identity fields of
 * the standard web field groups.
 *
 * @author aep-streaming
 */
final class SyntheticExperienceEvents {

	private static final List<String> PAGES = List.of("home", "products", "product-detail", "cart", "checkout",
			"order-confirmation", "search", "account");

	private static final List<String> USER_AGENTS = List.of(
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
			"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148");

	private final Clock clock;

	SyntheticExperienceEvents(Clock clock) {
		this.clock = clock;
	}

	Map<String, Object> next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String page = PAGES.get(random.nextInt(PAGES.size()));
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("_id", UUID.randomUUID().toString());
		event.put("timestamp", this.clock.instant().toString());
		event.put("eventType", "web.webpagedetails.pageViews");
		event.put("web",
				Map.of("webPageDetails",
						Map.of("name", page, "URL", "https://shop.example.com/" + page, "pageViews",
								Map.of("value", 1)),
						"webReferrer", Map.of("URL", "https://www.example.org/search?q=shoes")));
		event.put("environment", Map.of("type", "browser", "browserDetails",
				Map.of("userAgent", USER_AGENTS.get(random.nextInt(USER_AGENTS.size())))));
		String ecid = String.format("%038d", random.nextLong(Long.MAX_VALUE));
		event.put("identityMap", Map.of("ECID", List.of(Map.of("id", ecid, "primary", true))));
		return event;
	}

}
