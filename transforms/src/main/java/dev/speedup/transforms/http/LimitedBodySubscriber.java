package dev.speedup.transforms.http;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Collects a body into a byte array, refusing (and cancelling) one larger than a limit; or, streaming, hands
 * each chunk to a {@link StreamingBodyParser.Session} as it arrives and keeps none of it (the result is then
 * an empty array, and {@link #size()} the bytes seen).
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
  /** A body over the limit; not worth retrying. */
  static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(long limit) {
      this(limit, false);
    }

    BodyTooLargeException(long limit, boolean decoded) {
      super("body larger than the limit of " + limit + " bytes" + (decoded ? " once decompressed" : ""));
    }
  }

  private final long limit;
  private final long declared;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  /** Completed with {@link #result}'s body just before it (see {@link #ended}). */
  private final CompletableFuture<byte[]> ended = new CompletableFuture<>();
  private final StreamingBodyParser.@Nullable Session<?> session;
  /** Decodes the body first, when it came gzip-compressed as asked. */
  private final @Nullable GzipBody gzip;
  private byte[] buffer;
  private byte @Nullable [] scratch;
  /** Bytes received, as sent (compressed, if so). */
  private long size;
  /** Bytes collected in {@link #buffer}. */
  private int filled;
  private Flow.Subscription subscription;
  private boolean cancelled;

  /** A handler that applies {@code limit}, checking the declared Content-Length before any byte. */
  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info -> of(limit, info, false);
  }

  /**
   * A subscriber for this response that applies {@code limit}; with {@code gzipAsked}, a body the server
   * declares gzip-encoded is decoded, and the limit applies to its decoded bytes as well.
   */
  static LimitedBodySubscriber of(long limit, HttpResponse.ResponseInfo info, boolean gzipAsked) {
    return new LimitedBodySubscriber(limit, declared(info), null, gzipAsked && gzipEncoded(info));
  }

  /** A subscriber that feeds this response's body to {@code session} as it arrives (decoded, as {@link #of}). */
  static LimitedBodySubscriber streaming(long limit, HttpResponse.ResponseInfo info, StreamingBodyParser.Session<?> session, boolean gzipAsked) {
    return new LimitedBodySubscriber(limit, declared(info), session, gzipAsked && gzipEncoded(info));
  }

  private static long declared(HttpResponse.ResponseInfo info) {
    return info.headers().firstValueAsLong("content-length").orElse(-1);
  }

  /** Whether the body is declared gzip-encoded (alone: a chain such as "gzip, br" is not decoded here). */
  static boolean gzipEncoded(HttpResponse.ResponseInfo info) {
    String coding = info.headers().firstValue("content-encoding").orElse("").trim();
    return coding.equalsIgnoreCase("gzip") || coding.equalsIgnoreCase("x-gzip");
  }

  /** The session fed, if streaming. */
  StreamingBodyParser.@Nullable Session<?> session() {
    return session;
  }

  /** Bytes of the body received, as sent; read once the body has completed (which orders it after every onNext). */
  long size() {
    return size;
  }

  /**
   * Gives up on the body: the subscription is cancelled (now, or as soon as it arrives), which makes the
   * JDK client close the connection instead of reading the rest.
   */
  void cancel() {
    Flow.Subscription s;
    synchronized (this) {
      cancelled = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
    result.completeExceptionally(new IOException("body abandoned"));
  }

  LimitedBodySubscriber(long limit, long declared, StreamingBodyParser.@Nullable Session<?> session, boolean gzipEncoded) {
    this.limit = limit;
    this.declared = declared;
    this.session = session;
    this.gzip = gzipEncoded ? new GzipBody(limit, this::take) : null;
    this.buffer = session != null ? new byte[0]
        : new byte[(int) Math.max(0, Math.min(declared >= 0 ? declared : 8192, Math.min(limit, 64L << 20)))];
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  /**
   * The body as {@link #getBody} gives it, completed just before it, and only when the body was read to its end
   * (or as far as the streaming parser wanted): what depends on this runs before the client's own actions on
   * the body, on the thread that read it.
   */
  CompletionStage<byte[]> ended() {
    return ended;
  }

  /** The body's end, unless it failed or was abandoned first (then neither is completed with a body). */
  private void end(byte[] body) {
    if (!result.isDone()) {
      ended.complete(body);
      result.complete(body);
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    boolean abandoned;
    synchronized (this) {
      subscription = s;
      abandoned = cancelled;
    }
    if (abandoned) {
      s.cancel();
      return;
    }
    if (declared > limit) {
      s.cancel();
      result.completeExceptionally(new BodyTooLargeException(limit));
      return;
    }
    // Streaming, one chunk at a time: the client then stops reading the socket while the parser is busy,
    // where unbounded demand let it queue the bodies of every connection in memory ahead of the parsers.
    s.request(session != null ? 1 : Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      endDecoder();
      return;
    }
    try {
      for (ByteBuffer item : items) {
        int n = item.remaining();
        if (size + n > limit) {
          throw new BodyTooLargeException(limit);
        }
        size += n;
        pass(item);
        if (session != null && !session.wantsMore()) {
          // The parser has given up on this body: close the connection rather than read the rest.
          subscription.cancel();
          endDecoder();
          end(buffer);
          return;
        }
      }
    } catch (IOException e) {
      subscription.cancel();
      endDecoder();
      result.completeExceptionally(e);
      return;
    }
    if (session != null) {
      subscription.request(1);
    }
  }

  /** One chunk as received: through the decoder, if any, to {@link #take}. */
  private void pass(ByteBuffer item) throws IOException {
    if (item.hasArray()) {
      int off = item.arrayOffset() + item.position();
      int n = item.remaining();
      item.position(item.limit());
      received(item.array(), off, n);
      return;
    }
    if (scratch == null) {
      scratch = new byte[16 << 10];
    }
    while (item.hasRemaining()) {
      int k = Math.min(scratch.length, item.remaining());
      item.get(scratch, 0, k);
      received(scratch, 0, k);
    }
  }

  private void received(byte[] bytes, int off, int n) throws IOException {
    if (gzip != null) {
      gzip.feed(bytes, off, n);
    } else {
      take(bytes, off, n);
    }
  }

  /** Body bytes (decoded, if they came encoded): to the session, or collected. */
  private void take(byte[] bytes, int off, int n) throws IOException {
    if (session != null) {
      session.feed(bytes, off, n);
      return;
    }
    if ((long) filled + n > limit) {
      throw new BodyTooLargeException(limit, true);
    }
    if (filled + n > buffer.length) {
      long grown = Math.max((long) buffer.length * 2, (long) filled + n);
      buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(grown, Math.min(limit, Integer.MAX_VALUE - 8)));
    }
    System.arraycopy(bytes, off, buffer, filled, n);
    filled += n;
  }

  private void endDecoder() {
    if (gzip != null) {
      gzip.end();
    }
  }

  @Override
  public void onError(Throwable throwable) {
    endDecoder();
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    if (gzip != null) {
      if (result.isDone()) {
        gzip.end(); // abandoned: nothing to check
      } else {
        try {
          gzip.finish();
        } catch (IOException e) {
          result.completeExceptionally(e);
          return;
        }
      }
    }
    // Streaming, the bytes went to the session: the body is empty, whatever its size.
    end(session != null || filled == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, filled));
  }
}
