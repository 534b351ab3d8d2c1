package dev.speedup.transforms.http;

import dev.speedup.transforms.Failure;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns one fetched body into output elements where it arrives, on the fetching side ({@link
 * HttpFetch.Get#parsedWith}): the body is garbage once parsed, so it never crosses a step boundary and a
 * runner never buffers it with the bundle's output. Called on the HTTP client's threads, many at once,
 * so it must be thread-safe (a stateless parser is) and must not touch Beam metrics itself: the counts it
 * returns are added on the worker's thread, in the namespace {@link #metricsNamespace()}.
 */
public interface BodyParser<T> extends Serializable {
  /**
   * Elements, or a failure for this URI; and counter increments by name. Or, for a paged resource, the
   * next page to fetch and the parser that reads it ({@link #nextPage}): the URI's elements then come
   * from the last page, and a failure on any page is the URI's failure.
   */
  record Parsed<T>(
      List<T> elements, @Nullable Failure failure, Map<String, Long> counts, java.net.@Nullable URI next, @Nullable BodyParser<T> rest) {
    public static <T> Parsed<T> of(List<T> elements, Map<String, Long> counts) {
      return new Parsed<>(elements, null, counts, null, null);
    }

    public static <T> Parsed<T> failed(Failure failure, Map<String, Long> counts) {
      return new Parsed<>(List.of(), failure, counts, null, null);
    }

    /** This page is read; fetch {@code next} (same host) and parse it with {@code rest}, which may carry what was read so far. */
    public static <T> Parsed<T> nextPage(java.net.URI next, BodyParser<T> rest, Map<String, Long> counts) {
      return new Parsed<>(List.of(), null, counts, java.util.Objects.requireNonNull(next), java.util.Objects.requireNonNull(rest));
    }
  }

  /** The elements of one 2xx response, or its failure; never throws. */
  Parsed<T> parse(FetchedResponse response);

  /** Where the counts go. */
  Class<?> metricsNamespace();
}
