package dev.speedup.transforms;

import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Spreads elements over a number of groups, each group then going downstream as one bundle on one
 * worker, however the input was bundled. Elements keep their timestamps and windows.
 *
 * <p>{@code Reshuffle} spreads elements too, but its trigger fires once per incoming bundle, so on the
 * DirectRunner a group fed from a {@code Create.of(list)} (which it reads in bundles of a handful) arrives
 * downstream in pieces; a step that keeps work open for a bundle, such as requests in flight, then runs
 * below what it was set to. Here a {@code GroupByKey} with the default trigger gathers each group whole.
 * That needs a bounded input, non-merging windows and the default trigger (otherwise a group would wait
 * for ever, merge windows or fire more than once); for any other input this falls back to {@code Reshuffle}.
 */
public final class SpreadInGroups<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private final int groups;

  private SpreadInGroups(int groups) {
    this.groups = groups;
  }

  /** {@code groups}: how many groups, about the number of workers; 1 to 100,000. */
  public static <T> SpreadInGroups<T> of(int groups) {
    return new SpreadInGroups<>(Checks.inRange("groups", groups, 1, 100_000));
  }

  /**
   * The same spreading with the groups already dealt: each key's values go downstream as one bundle, without
   * their keys. For a caller that balances the groups itself (by size, say) rather than round-robin.
   */
  public static <K, V> PTransform<PCollection<KV<K, V>>, PCollection<V>> byKey() {
    return new ByKey<>();
  }

  /** Whether {@code input} is gathered whole per group (else it goes through {@code Reshuffle}). */
  public static boolean groupsWhole(PCollection<?> input) {
    WindowingStrategy<?, ?> windowing = input.getWindowingStrategy();
    return input.isBounded() == PCollection.IsBounded.BOUNDED
        && windowing.getWindowFn().isNonMerging()
        && windowing.getTrigger() instanceof DefaultTrigger;
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    if (!groupsWhole(input)) {
      return input.apply("Reshuffle", Reshuffle.<T>viaRandomKey().withNumBuckets(groups));
    }
    Coder<T> coder = input.getCoder();
    return input
        .apply("Key", ParDo.of(new KeyFn<T>(groups)))
        .setCoder(KvCoder.of(VarIntCoder.of(), TimestampedValue.TimestampedValueCoder.of(coder)))
        .apply("Group", GroupByKey.create())
        .apply("Ungroup", ParDo.of(new UngroupFn<T>()))
        .setCoder(coder);
  }

  private static final class ByKey<K, V> extends PTransform<PCollection<KV<K, V>>, PCollection<V>> {
    @Override
    public PCollection<V> expand(PCollection<KV<K, V>> input) {
      if (!groupsWhole(input)) {
        return input.apply("Reshuffle", Reshuffle.of()).apply("Unkey", Values.create());
      }
      // One step after the group, not Reshuffle's three and Values: on the DirectRunner each step costs a
      // translation of its DoFn for every group (docs/benchmarks.md).
      return input
          .apply("Group", GroupByKey.create())
          .apply("Ungroup", ParDo.of(new ValuesOfGroupFn<K, V>()))
          .setCoder(((KvCoder<K, V>) input.getCoder()).getValueCoder());
    }
  }

  /** A group's values, in one call. */
  private static final class ValuesOfGroupFn<K, V> extends DoFn<KV<K, Iterable<V>>, V> {
    @ProcessElement
    public void process(@Element KV<K, Iterable<V>> group, OutputReceiver<V> out) {
      for (V v : group.getValue()) {
        out.output(v);
      }
    }
  }

  /** Deals the elements round-robin over the groups from a random start, carrying each one's timestamp. */
  private static final class KeyFn<T> extends DoFn<T, KV<Integer, TimestampedValue<T>>> {
    private final int groups;
    private transient int next;

    KeyFn(int groups) {
      this.groups = groups;
    }

    @StartBundle
    public void startBundle() {
      next = ThreadLocalRandom.current().nextInt(groups);
    }

    @ProcessElement
    public void process(@Element T element, @Timestamp Instant timestamp, OutputReceiver<KV<Integer, TimestampedValue<T>>> out) {
      out.output(KV.of(next, TimestampedValue.of(element, timestamp)));
      next = (next + 1) % groups;
    }
  }

  /** Emits a group's elements in one call, each with its own timestamp again. */
  private static final class UngroupFn<T> extends DoFn<KV<Integer, Iterable<TimestampedValue<T>>>, T> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<TimestampedValue<T>>> group, OutputReceiver<T> out) {
      for (TimestampedValue<T> v : group.getValue()) {
        out.outputWithTimestamp(v.getValue(), v.getTimestamp());
      }
    }

    // The group comes out at the end of its window; its elements go back to their own, earlier times.
    @SuppressWarnings("deprecation")
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }
  }
}
