package dev.speedup.transforms.http;

import java.net.URI;

/**
 * A {@link BodyParser} that reads a 2xx body as its chunks arrive, so a body is never held whole: memory per
 * fetch in flight is the parser's state and one chunk, whatever the body's size. {@link HttpFetch.Get#parsedWith}
 * opens a session per attempt (an attempt that fails midway, to be retried, drops its session), feeds it on the
 * HTTP client's threads, and finishes it once the body has ended.
 */
public interface StreamingBodyParser<T> extends BodyParser<T> {
  /** The reading of one attempt's body. Fed by one thread at a time, in order. */
  interface Session<T> {
    /**
     * The next {@code len} bytes; the array may be reused once this returns. Never throws: a body found
     * unreadable is remembered and reported by {@link #finish}, and {@link #wantsMore} turns false.
     */
    void feed(byte[] bytes, int off, int len);

    /** False once the session has seen enough (a body it cannot read): the rest need not be downloaded. */
    boolean wantsMore();

    /** The body has ended: its elements, a failure, or a next page, as {@link BodyParser#parse} gives. */
    Parsed<T> finish(FetchedResponse head);
  }

  /** A session for the body of the answer to {@code uri}. */
  Session<T> open(URI uri);

  /** The whole body at once, through a session: one reading, however the bytes come. */
  @Override
  default Parsed<T> parse(FetchedResponse response) {
    Session<T> session = open(response.uri());
    byte[] body = response.body();
    session.feed(body, 0, body.length);
    return session.finish(response);
  }
}
