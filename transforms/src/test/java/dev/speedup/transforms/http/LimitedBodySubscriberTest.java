package dev.speedup.transforms.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.Test;

public class LimitedBodySubscriberTest {
  private static final class Subscription implements Flow.Subscription {
    boolean cancelled;
    long requested;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Test
  public void collectsChunksOfUnknownLength() throws Exception {
    LimitedBodySubscriber s = new LimitedBodySubscriber(10, -1, null, false);
    s.onSubscribe(new Subscription());
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {4})));
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {5, 6})));
    s.onComplete();
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, s.getBody().toCompletableFuture().get());
  }

  @Test
  public void refusesADeclaredLengthOverTheLimitBeforeAnyByte() {
    LimitedBodySubscriber s = new LimitedBodySubscriber(10, 11, null, false);
    Subscription sub = new Subscription();
    s.onSubscribe(sub);
    assertTrue(sub.cancelled);
    ExecutionException e = assertThrows(ExecutionException.class, () -> s.getBody().toCompletableFuture().get());
    assertThat(e.getCause(), instanceOf(LimitedBodySubscriber.BodyTooLargeException.class));
  }

  @Test
  public void refusesABodyThatGrowsOverTheLimit() {
    LimitedBodySubscriber s = new LimitedBodySubscriber(4, -1, null, false);
    Subscription sub = new Subscription();
    s.onSubscribe(sub);
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {4, 5})));
    assertTrue(sub.cancelled);
    ExecutionException e = assertThrows(ExecutionException.class, () -> s.getBody().toCompletableFuture().get());
    assertThat(e.getCause(), instanceOf(LimitedBodySubscriber.BodyTooLargeException.class));
  }

  /** Keeps what it is fed, and stops wanting more after {@code stopAfter} bytes. */
  private static final class Recording implements StreamingBodyParser.Session<String> {
    final java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
    final long stopAfter;

    Recording(long stopAfter) {
      this.stopAfter = stopAfter;
    }

    @Override
    public void feed(byte[] bytes, int off, int len) {
      seen.write(bytes, off, len);
    }

    @Override
    public boolean wantsMore() {
      return seen.size() < stopAfter;
    }

    @Override
    public BodyParser.Parsed<String> finish(FetchedResponse head) {
      return BodyParser.Parsed.of(List.of(), java.util.Map.of());
    }
  }

  @Test
  public void streamingHandsEveryChunkOnInOrderOneAtATimeAndKeepsNone() throws Exception {
    Recording session = new Recording(Long.MAX_VALUE);
    LimitedBodySubscriber s = new LimitedBodySubscriber(1 << 30, 3 * 65536, session, false);
    Subscription sub = new Subscription();
    s.onSubscribe(sub);
    assertEquals("one chunk asked for at a time: the client reads no further ahead", 1, sub.requested);
    byte[] expected = new byte[3 * 65536];
    new java.util.Random(7).nextBytes(expected);
    for (int off = 0; off < expected.length; off += 65536) {
      // A read-only buffer has no accessible array: copied through the subscriber's small scratch buffer.
      ByteBuffer chunk = ByteBuffer.wrap(expected, off, 65536);
      s.onNext(List.of(off == 0 ? chunk.asReadOnlyBuffer() : chunk));
    }
    s.onComplete();
    assertEquals(4, sub.requested);
    assertArrayEquals(expected, session.seen.toByteArray());
    assertEquals("the body is not collected", 0, s.getBody().toCompletableFuture().get().length);
    assertEquals(expected.length, s.size());
  }

  @Test
  public void streamingStopsReadingOnceTheSessionHasSeenEnough() throws Exception {
    Recording session = new Recording(10);
    LimitedBodySubscriber s = new LimitedBodySubscriber(1 << 30, -1, session, false);
    Subscription sub = new Subscription();
    s.onSubscribe(sub);
    s.onNext(List.of(ByteBuffer.wrap(new byte[16])));
    assertTrue("the connection is given up", sub.cancelled);
    s.onNext(List.of(ByteBuffer.wrap(new byte[16])));
    assertEquals(16, session.seen.size());
    assertEquals(0, s.getBody().toCompletableFuture().get().length);
  }

  @Test
  public void streamingStillRefusesABodyOverTheLimit() {
    LimitedBodySubscriber s = new LimitedBodySubscriber(20, -1, new Recording(Long.MAX_VALUE), false);
    Subscription sub = new Subscription();
    s.onSubscribe(sub);
    s.onNext(List.of(ByteBuffer.wrap(new byte[16])));
    s.onNext(List.of(ByteBuffer.wrap(new byte[16])));
    assertTrue(sub.cancelled);
    ExecutionException e = assertThrows(ExecutionException.class, () -> s.getBody().toCompletableFuture().get());
    assertThat(e.getCause(), instanceOf(LimitedBodySubscriber.BodyTooLargeException.class));
  }

  /** {@code ended()} runs what depends on it before what depends on the body, and only for a body read to its end. */
  @Test
  public void endedGoesBeforeTheBodyAndOnlyForABodyReadToItsEnd() throws Exception {
    LimitedBodySubscriber s = new LimitedBodySubscriber(10, -1, null, false);
    List<String> order = new java.util.ArrayList<>();
    s.getBody().thenRun(() -> order.add("body"));
    s.ended().thenRun(() -> order.add("ended"));
    s.onSubscribe(new Subscription());
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2})));
    s.onComplete();
    assertEquals(List.of("ended", "body"), order);

    LimitedBodySubscriber over = new LimitedBodySubscriber(4, -1, null, false);
    over.onSubscribe(new Subscription());
    over.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5})));
    over.onComplete(); // the client may still end the stream after a refused chunk
    assertTrue(over.getBody().toCompletableFuture().isCompletedExceptionally());
    assertFalse(over.ended().toCompletableFuture().isDone());
  }
}
