package dev.speedup.transforms.http;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Collects a body into a byte array, refusing (and cancelling) one larger than a limit. */
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
  private byte[] buffer;
  private int size;
  private Flow.Subscription subscription;
  private boolean cancelled;

  /** A handler that applies {@code limit}, checking the declared Content-Length before any byte. */
  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info -> of(limit, info);
  }

  /** A subscriber for this response that applies {@code limit}. */
  static LimitedBodySubscriber of(long limit, HttpResponse.ResponseInfo info) {
    return new LimitedBodySubscriber(limit, info.headers().firstValueAsLong("content-length").orElse(-1));
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

  LimitedBodySubscriber(long limit, long declared) {
    this.limit = limit;
    this.declared = declared;
    this.buffer = new byte[(int) Math.max(0, Math.min(declared >= 0 ? declared : 8192, Math.min(limit, 64L << 20)))];
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
    s.request(Long.MAX_VALUE);
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
      if (size + n > buffer.length) {
        long grown = Math.max((long) buffer.length * 2, (long) size + n);
        buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(grown, Math.min(limit, Integer.MAX_VALUE - 8)));
      }
      item.get(buffer, size, n);
      size += n;
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(size == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, size));
  }
}
