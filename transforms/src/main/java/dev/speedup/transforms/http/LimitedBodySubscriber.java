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
      super("body larger than the limit of " + limit + " bytes");
    }
  }

  private final long limit;
  private final long declared;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final StreamingBodyParser.@Nullable Session<?> session;
  private byte[] buffer;
  private byte @Nullable [] scratch;
  private int size;
  private Flow.Subscription subscription;
  private boolean cancelled;

  /** A handler that applies {@code limit}, checking the declared Content-Length before any byte. */
  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info -> of(limit, info);
  }

  /** A subscriber for this response that applies {@code limit}. */
  static LimitedBodySubscriber of(long limit, HttpResponse.ResponseInfo info) {
    return new LimitedBodySubscriber(limit, info.headers().firstValueAsLong("content-length").orElse(-1), null);
  }

  /** A subscriber that feeds this response's body to {@code session} as it arrives, applying {@code limit}. */
  static LimitedBodySubscriber streaming(long limit, HttpResponse.ResponseInfo info, StreamingBodyParser.Session<?> session) {
    return new LimitedBodySubscriber(limit, info.headers().firstValueAsLong("content-length").orElse(-1), session);
  }

  /** The session fed, if streaming. */
  StreamingBodyParser.@Nullable Session<?> session() {
    return session;
  }

  /** Bytes of the body received; read once the body has completed (which orders it after every onNext). */
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

  LimitedBodySubscriber(long limit, long declared, StreamingBodyParser.@Nullable Session<?> session) {
    this.limit = limit;
    this.declared = declared;
    this.session = session;
    this.buffer = session != null ? new byte[0]
        : new byte[(int) Math.max(0, Math.min(declared >= 0 ? declared : 8192, Math.min(limit, 64L << 20)))];
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
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
      return;
    }
    for (ByteBuffer item : items) {
      int n = item.remaining();
      if ((long) size + n > limit) {
        subscription.cancel();
        result.completeExceptionally(new BodyTooLargeException(limit));
        return;
      }
      if (session != null) {
        feed(item, n);
        if (!session.wantsMore()) {
          // The parser has given up on this body: close the connection rather than read the rest.
          subscription.cancel();
          result.complete(buffer);
          return;
        }
        continue;
      }
      if (size + n > buffer.length) {
        long grown = Math.max((long) buffer.length * 2, (long) size + n);
        buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(grown, Math.min(limit, Integer.MAX_VALUE - 8)));
      }
      item.get(buffer, size, n);
      size += n;
    }
    if (session != null) {
      subscription.request(1);
    }
  }

  private void feed(ByteBuffer item, int n) {
    size += n;
    if (item.hasArray()) {
      session.feed(item.array(), item.arrayOffset() + item.position(), n);
      item.position(item.limit());
      return;
    }
    if (scratch == null) {
      scratch = new byte[16 << 10];
    }
    while (item.hasRemaining()) {
      int k = Math.min(scratch.length, item.remaining());
      item.get(scratch, 0, k);
      session.feed(scratch, 0, k);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    // Streaming, the bytes went to the session: the body is empty, whatever its size.
    result.complete(session != null || size == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, size));
  }
}
