package dev.speedup.transforms.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;

/** The redirect rule on its own; HttpFetchTest and HttpFetchHeadersTest follow redirects against real servers. */
public class RedirectsTest {
  private static final Map<String, String> KEY = Map.of("X-Api-Key", "secret");

  private static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).header("X-Api-Key", "secret").header("Accept", "application/json").GET().build();
  }

  @Test
  public void followsTheSameOriginWithEveryHeader() {
    Redirects.Step step = new Redirects(false, KEY).follow(get("http://a.test:8080/x?date=1"), 302, " /y?date=1 ", 0);
    assertNull(step.refusal());
    assertEquals(URI.create("http://a.test:8080/y?date=1"), step.next().uri());
    assertEquals(Optional.of("secret"), step.next().headers().firstValue("x-api-key"));
    assertEquals(Optional.of("application/json"), step.next().headers().firstValue("accept"));
  }

  @Test
  public void anotherPortOrSchemeOfTheSameHostGetsNoCallersHeader() {
    for (String location : new String[] {"http://a.test:9090/y", "https://a.test:8080/y"}) {
      Redirects.Step step = new Redirects(false, KEY).follow(get("http://a.test:8080/x"), 301, location, 0);
      assertEquals(location, step.next().uri().toString());
      assertEquals(location, Optional.empty(), step.next().headers().firstValue("x-api-key"));
      assertEquals(location, Optional.of("application/json"), step.next().headers().firstValue("accept"));
    }
  }

  @Test
  public void anotherHostIsRefusedByDefaultAndFollowedWithoutTheKeyWhenAllowed() {
    Redirects.Step refused = new Redirects(false, KEY).follow(get("http://a.test/x"), 307, "http://b.test/x", 0);
    assertNull(refused.next());
    assertEquals(
        "HTTP 307 from a.test to another host, b.test: not followed (HttpFetch.Get#withRedirectsToOtherHosts allows it)",
        refused.refusal());
    Redirects.Step allowed = new Redirects(true, KEY).follow(get("http://a.test/x"), 307, "http://b.test/x", 0);
    assertEquals(URI.create("http://b.test/x"), allowed.next().uri());
    assertEquals(Optional.empty(), allowed.next().headers().firstValue("x-api-key"));
  }

  @Test
  public void unusableLocationsAndTooManyHopsAreRefused() {
    Redirects rule = new Redirects(true, KEY);
    assertEquals("HTTP 302 to an invalid location: http://a b/", rule.follow(get("http://a.test/x"), 302, "http://a b/", 0).refusal());
    assertEquals("HTTP 302 to an unusable location: ftp://a.test/y", rule.follow(get("http://a.test/x"), 302, "ftp://a.test/y", 0).refusal());
    assertNull(rule.follow(get("http://a.test/x"), 302, "/y", Redirects.MAX - 1).refusal());
    assertEquals("more than 5 redirects, the last from a.test to http://a.test/y",
        rule.follow(get("http://a.test/x"), 302, "/y", Redirects.MAX).refusal());
  }

  @Test
  public void redirectStatusesAndDefaultPorts() {
    for (int status : new int[] {301, 302, 303, 307, 308}) {
      assertTrue(Redirects.isRedirect(status));
    }
    for (int status : new int[] {200, 300, 304, 305, 306, 404}) {
      assertFalse(Redirects.isRedirect(status));
    }
    assertEquals(80, Redirects.port(URI.create("http://a.test/x")));
    assertEquals(443, Redirects.port(URI.create("HTTPS://a.test/x")));
    assertTrue(Redirects.sameOrigin(URI.create("http://A.test/x"), URI.create("http://a.test:80/y")));
    assertFalse(Redirects.sameOrigin(URI.create("http://a.test/x"), URI.create("https://a.test:80/y")));
  }
}
