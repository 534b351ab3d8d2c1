package dev.speedup.transforms.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Which redirects a fetch follows, and which of the caller's headers go along. */
final class Redirects {
  /** Redirects followed for one attempt before it fails. */
  static final int MAX = 5;

  private final boolean toOtherHosts;
  private final Map<String, String> callersHeaders;

  /** What to do with one redirect: send {@code next}, or fail with {@code refusal}. */
  record Step(@Nullable HttpRequest next, @Nullable String refusal) {}

  Redirects(boolean toOtherHosts, Map<String, String> callersHeaders) {
    this.toOtherHosts = toOtherHosts;
    this.callersHeaders = callersHeaders;
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** The request that follows {@code request}'s answer {@code status} to {@code location}, after {@code hops} redirects. */
  Step follow(HttpRequest request, int status, String location, int hops) {
    URI target;
    try {
      target = request.uri().resolve(location.trim());
    } catch (IllegalArgumentException e) {
      return refuse("HTTP " + status + " to an invalid location: " + location);
    }
    String from = request.uri().getHost();
    if (target.getHost() == null || AsyncFetcher.invalidReason(target).isPresent()) {
      return refuse("HTTP " + status + " to an unusable location: " + location);
    }
    if (!toOtherHosts && !target.getHost().equalsIgnoreCase(from)) {
      return refuse("HTTP " + status + " from " + from + " to another host, " + target.getHost()
          + ": not followed (HttpFetch.Get#withRedirectsToOtherHosts allows it)");
    }
    if (hops >= MAX) {
      return refuse("more than " + MAX + " redirects, the last from " + from + " to " + target);
    }
    // The caller's headers (an API key, say) were meant for the origin asked: not for another host, nor for
    // another port or scheme of the same host (another server, or the key in clear text; curl's CVE-2022-27776).
    boolean sameOrigin = sameOrigin(request.uri(), target);
    return new Step(HttpRequest.newBuilder(request, (name, value) -> sameOrigin || !isCallers(name)).uri(target).build(), null);
  }

  private static Step refuse(String reason) {
    return new Step(null, reason);
  }

  static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private boolean isCallers(String header) {
    return callersHeaders.keySet().stream().anyMatch(header::equalsIgnoreCase);
  }

  /** The URI's port, or its scheme's default. */
  static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
