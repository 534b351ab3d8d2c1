package dev.speedup.jobs.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

public class CreateAsOneBundleTest {
  /** Bundles seen downstream, as the keys of their elements (DirectRunner: same JVM). */
  private static final Queue<List<Integer>> BUNDLES = new ConcurrentLinkedQueue<>();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Before
  public void setUp() {
    BUNDLES.clear();
    pipeline.getOptions().as(DirectOptions.class).setTargetParallelism(2);
  }

  /** Records each bundle's element keys at the end of the bundle. */
  private static final class RecordBundles extends DoFn<KV<Integer, Integer>, KV<Integer, Integer>> {
    private transient List<Integer> keys;

    @StartBundle
    public void start() {
      keys = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Integer> e, OutputReceiver<KV<Integer, Integer>> out) {
      keys.add(e.getKey());
      out.output(e);
    }

    @FinishBundle
    public void finish() {
      BUNDLES.add(keys);
    }
  }

  private static List<KV<Integer, Integer>> keyed(int count, int keys) {
    List<KV<Integer, Integer>> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(KV.of(i % keys, i));
    }
    return list;
  }

  @Test
  public void everyElementLeavesInOneBundle() {
    List<KV<Integer, Integer>> input = keyed(400, 1);
    PCollection<KV<Integer, Integer>> out =
        pipeline
            .apply(CreateAsOneBundle.of(input, KvCoder.of(VarIntCoder.of(), VarIntCoder.of())))
            .apply(ParDo.of(new RecordBundles()));
    PAssert.that(out).containsInAnyOrder(input);
    pipeline.run().waitUntilFinish();
    assertThat(new ArrayList<>(BUNDLES), hasSize(1));
    assertThat(BUNDLES.peek(), hasSize(400));
  }

  @Test
  public void aReshuffleAfterItGivesOneBundlePerKey() {
    // From a plain Create.of the same 400 elements reached this step in 8 to 34 bundles, split differently
    // each run.
    List<KV<Integer, Integer>> input = keyed(400, 4);
    PCollection<KV<Integer, Integer>> out =
        pipeline
            .apply(CreateAsOneBundle.of(input, KvCoder.of(VarIntCoder.of(), VarIntCoder.of())))
            .apply(Reshuffle.of())
            .apply(ParDo.of(new RecordBundles()));
    PAssert.that(out).containsInAnyOrder(input);
    pipeline.run().waitUntilFinish();
    List<List<Integer>> bundles = new ArrayList<>(BUNDLES);
    assertThat(bundles, hasSize(4));
    assertThat(bundles, everyItem(hasSize(100)));
    List<Integer> keyOfEach = new ArrayList<>();
    for (List<Integer> b : bundles) {
      assertThat("one key per bundle: " + b.subList(0, 3), b.stream().distinct().count(), is(1L));
      keyOfEach.add(b.get(0));
    }
    assertThat(keyOfEach, containsInAnyOrder(0, 1, 2, 3));
  }
}
