package dev.speedup.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class SpreadInGroupsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Before
  public void setUp() {
    RecordBundles.clear();
    pipeline.getOptions().as(DirectOptions.class).setTargetParallelism(2);
  }

  /** "value@timestamp millis@window start millis" of each element. */
  private static final class Describe extends DoFn<Integer, String> {
    @ProcessElement
    public void process(@Element Integer e, @Timestamp Instant ts, BoundedWindow w, OutputReceiver<String> out) {
      out.output(e + "@" + ts.getMillis() + "@" + ((IntervalWindow) w).start().getMillis());
    }
  }

  private static List<Integer> numbers(int n) {
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    return list;
  }

  @Test
  public void aPlainCreateReachesTheNextStepAsOneBundlePerGroup() {
    // Through Reshuffle.viaRandomKey().withNumBuckets(4) the same 400 elements arrived in 24 to 41 bundles.
    List<Integer> input = numbers(400);
    PCollection<Integer> out =
        pipeline.apply(Create.of(input)).apply(SpreadInGroups.of(4)).apply(ParDo.of(new RecordBundles<Integer>()));
    PAssert.that(out).containsInAnyOrder(input);
    pipeline.run().waitUntilFinish();
    List<List<Integer>> bundles = RecordBundles.seen();
    assertThat(bundles, hasSize(4));
    Set<Integer> all = new HashSet<>();
    bundles.forEach(all::addAll);
    assertEquals(400, bundles.stream().mapToInt(List::size).sum());
    assertEquals(400, all.size());
  }

  @Test
  public void byKeyEachKeysValuesReachTheNextStepAsOneBundleWithoutTheirKeys() {
    List<KV<Integer, Integer>> input = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      input.add(KV.of(i % 3 == 0 ? 7 : i % 3 == 1 ? 11 : 13, i));
    }
    PCollection<Integer> out = pipeline
        .apply(CreateAsOneBundle.of(input, KvCoder.of(VarIntCoder.of(), VarIntCoder.of())))
        .apply(SpreadInGroups.byKey())
        .apply(ParDo.of(new RecordBundles<Integer>()));
    PAssert.that(out).containsInAnyOrder(numbers(300));
    pipeline.run().waitUntilFinish();
    List<List<Integer>> bundles = RecordBundles.seen();
    assertThat(bundles, hasSize(3));
    for (List<Integer> bundle : bundles) {
      Set<Integer> residues = new HashSet<>();
      bundle.forEach(v -> residues.add(v % 3));
      assertEquals("one key's values per bundle: " + bundle, 1, residues.size());
      assertEquals(100, bundle.size());
    }
  }

  @Test
  public void byKeyOnATriggeredInputFallsBackToReshuffleAndLosesNothing() {
    List<KV<Integer, Integer>> input = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      input.add(KV.of(i % 4, i));
    }
    PCollection<KV<Integer, Integer>> triggered = pipeline.apply(Create.of(input))
        .apply(Window.<KV<Integer, Integer>>configure().triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
            .discardingFiredPanes().withAllowedLateness(Duration.ZERO));
    assertFalse(SpreadInGroups.groupsWhole(triggered));
    PAssert.that(triggered.apply(SpreadInGroups.byKey())).containsInAnyOrder(numbers(50));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void elementsKeepTheirTimestampsAndWindows() {
    List<TimestampedValue<Integer>> input = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long ts = 1_000L * i * 7;
      input.add(TimestampedValue.of(i, new Instant(ts)));
      expected.add(i + "@" + ts + "@" + (ts / 10_000 * 10_000));
    }
    PCollection<Integer> windowed =
        pipeline.apply(Create.timestamped(input)).apply(Window.into(FixedWindows.of(Duration.standardSeconds(10))));
    assertTrue(SpreadInGroups.groupsWhole(windowed));
    PAssert.that(windowed.apply(SpreadInGroups.of(3)).apply(ParDo.of(new Describe()))).containsInAnyOrder(expected);
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void mergingWindowsAndOtherTriggersGoThroughReshuffleAndLoseNothing() {
    List<TimestampedValue<Integer>> input = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      // Two sessions, 0-4 and 5-9, an hour apart: a GroupByKey would merge each session's windows.
      long ts = (i < 5 ? 0 : 3_600_000L) + 1_000L * i;
      input.add(TimestampedValue.of(i, new Instant(ts)));
      expected.add(i + "@" + ts + "@" + ts);
    }
    PCollection<Integer> sessions =
        pipeline.apply("Sessions", Create.timestamped(input))
            .apply("IntoSessions", Window.into(Sessions.withGapDuration(Duration.standardMinutes(1))));
    assertFalse(SpreadInGroups.groupsWhole(sessions));
    PAssert.that(sessions.apply("SpreadSessions", SpreadInGroups.of(2)).apply("Describe", ParDo.of(new Describe())))
        .containsInAnyOrder(expected);

    PCollection<Integer> early =
        pipeline
            .apply("Early", Create.of(numbers(5)))
            .apply("EveryElement", Window.<Integer>configure().triggering(Repeatedly.forever(AfterPane.elementCountAtLeast(1)))
                .accumulatingFiredPanes().withAllowedLateness(Duration.ZERO));
    assertFalse(SpreadInGroups.groupsWhole(early));
    PAssert.that(early.apply("SpreadEarly", SpreadInGroups.of(2))).containsInAnyOrder(numbers(5));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void groupsOutOfRangeAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpreadInGroups.of(0));
    assertTrue(e.getMessage(), e.getMessage().contains("groups"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }
}
