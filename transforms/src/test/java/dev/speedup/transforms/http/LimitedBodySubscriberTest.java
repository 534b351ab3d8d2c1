package dev.speedup.transforms.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.Assert.assertArrayEquals;
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

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Test
  public void collectsChunksOfUnknownLength() throws Exception {
    LimitedBodySubscriber s = new LimitedBodySubscriber(10, -1);
    s.onSubscribe(new Subscription());
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {4})));
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {5, 6})));
    s.onComplete();
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, s.getBody().toCompletableFuture().get());
  }

  @Test
  public void refusesADeclaredLengthOverTheLimitBeforeAnyByte() {
    LimitedBodySubscriber s = new LimitedBodySubscriber(10, 11);
    Subscription sub = new Subscription();
    s.onSubscribe(sub);
    assertTrue(sub.cancelled);
    ExecutionException e = assertThrows(ExecutionException.class, () -> s.getBody().toCompletableFuture().get());
    assertThat(e.getCause(), instanceOf(LimitedBodySubscriber.BodyTooLargeException.class));
  }

  @Test
  public void refusesABodyThatGrowsOverTheLimit() {
    LimitedBodySubscriber s = new LimitedBodySubscriber(4, -1);
    Subscription sub = new Subscription();
    s.onSubscribe(sub);
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3})));
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {4, 5})));
    assertTrue(sub.cancelled);
    ExecutionException e = assertThrows(ExecutionException.class, () -> s.getBody().toCompletableFuture().get());
    assertThat(e.getCause(), instanceOf(LimitedBodySubscriber.BodyTooLargeException.class));
  }
}
