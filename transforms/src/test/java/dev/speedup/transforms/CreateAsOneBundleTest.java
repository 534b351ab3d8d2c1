package dev.speedup.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class CreateAsOneBundleTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Before
  public void setUp() {
    RecordBundles.clear();
    pipeline.getOptions().as(DirectOptions.class).setTargetParallelism(2);
  }

  private static List<KV<Integer, Integer>> keyed(int count, int keys) {
    List<KV<Integer, Integer>> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(KV.of(i % keys, i));
    }
    return list;
  }

  /** Creates {@code input} as one bundle, then {@code step}, then records the bundles. */
  private List<List<KV<Integer, Integer>>> bundlesAfter(
      List<KV<Integer, Integer>> input, Reshuffle<Integer, Integer> step) {
    PCollection<KV<Integer, Integer>> created =
        pipeline.apply(CreateAsOneBundle.of(input, KvCoder.of(VarIntCoder.of(), VarIntCoder.of())));
    PCollection<KV<Integer, Integer>> out =
        (step == null ? created : created.apply(step)).apply(ParDo.of(new RecordBundles<KV<Integer, Integer>>()));
    PAssert.that(out).containsInAnyOrder(input);
    pipeline.run().waitUntilFinish();
    return RecordBundles.seen();
  }

  @Test
  public void everyElementLeavesInOneBundle() {
    List<List<KV<Integer, Integer>>> bundles = bundlesAfter(keyed(400, 1), null);
    assertThat(bundles, hasSize(1));
    assertThat(bundles.get(0), hasSize(400));
  }

  @Test
  public void aReshuffleAfterItGivesOneBundlePerKey() {
    // From a plain Create.of the same 400 elements reached this step in 8 to 34 bundles, split differently
    // each run.
    List<List<KV<Integer, Integer>>> bundles = bundlesAfter(keyed(400, 4), Reshuffle.of());
    assertThat(bundles, hasSize(4));
    assertThat(bundles, everyItem(hasSize(100)));
    List<Integer> keyOfEach = new ArrayList<>();
    for (List<KV<Integer, Integer>> b : bundles) {
      assertThat("one key per bundle: " + b.subList(0, 3), b.stream().map(KV::getKey).distinct().count(), is(1L));
      keyOfEach.add(b.get(0).getKey());
    }
    assertThat(keyOfEach, containsInAnyOrder(0, 1, 2, 3));
  }
  @Test
  public void anEmptyListGivesAnEmptyCollection() {
    PCollection<KV<Integer, Integer>> created =
        pipeline.apply(CreateAsOneBundle.of(List.of(), KvCoder.of(VarIntCoder.of(), VarIntCoder.of())));
    PAssert.that(created).empty();
    pipeline.run().waitUntilFinish();
  }

  /** Not Serializable: only its coder can carry it. */
  private static final class Reading {
    final String station;
    final double value;

    Reading(String station, double value) {
      this.station = station;
      this.value = value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Reading r && r.station.equals(station) && r.value == value;
    }

    @Override
    public int hashCode() {
      return station.hashCode();
    }
  }

  private static final class ReadingCoder extends AtomicCoder<Reading> {
    @Override
    public void encode(Reading r, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(r.station, out);
      DoubleCoder.of().encode(r.value, out);
    }

    @Override
    public Reading decode(InputStream in) throws IOException {
      return new Reading(StringUtf8Coder.of().decode(in), DoubleCoder.of().decode(in));
    }
  }

  @Test
  public void elementsTravelEncodedByTheirCoderSoTheyNeedNotBeSerializable() {
    PCollection<Reading> created =
        pipeline.apply(CreateAsOneBundle.of(List.of(new Reading("S1", 26.5), new Reading("S2", -1.0)), new ReadingCoder()));
    PAssert.that(created).containsInAnyOrder(new Reading("S1", 26.5), new Reading("S2", -1.0));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aKeyValueOfNullsSurvives() {
    // The marker SortedTextFile gathers its lines with.
    KvCoder<Void, String> coder = KvCoder.of(VoidCoder.of(), NullableCoder.of(StringUtf8Coder.of()));
    PCollection<KV<Void, String>> created =
        pipeline.apply(CreateAsOneBundle.of(List.of(KV.of(null, null), KV.of(null, "line")), coder));
    PAssert.that(created).containsInAnyOrder(KV.of(null, null), KV.of(null, "line"));
    pipeline.run().waitUntilFinish();
  }
}
