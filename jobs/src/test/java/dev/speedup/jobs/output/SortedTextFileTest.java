package dev.speedup.jobs.output;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SortedTextFileTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void noLinesStillWritesTheFileWithItsHeader() throws Exception {
    Path file = tmp.getRoot().toPath().resolve("empty.csv");
    PCollection<String> written = pipeline.apply(Create.empty(org.apache.beam.sdk.coders.StringUtf8Coder.of()))
        .apply(SortedTextFile.to(file.toString(), "a,b"));
    PAssert.that(written).containsInAnyOrder(file.toString());
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals("a,b\n", Files.readString(file));
    assertEquals(0, linesCounted(result, "empty.csv"));
  }

  @Test
  public void eachElementsLineIsMadeByTheFunctionAndSortedWhateverTheBundles() throws Exception {
    pipeline.getOptions().as(DirectOptions.class).setTargetParallelism(4);
    List<Integer> numbers = new ArrayList<>();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      numbers.add(4_999 - i);
      expected.append(String.format("n%05d", i)).append('\n');
    }
    Path file = tmp.getRoot().toPath().resolve("numbers.txt");
    // Create.of splits the list into several bundles on the DirectRunner: the lines meet from all of them.
    pipeline.apply(Create.of(numbers)).apply(SortedTextFile.to(file.toString(), null, n -> String.format("n%05d", n)));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(expected.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    assertEquals(5_000, linesCounted(result, "numbers.txt"));
  }

  @Test
  public void anEmptyLineIsALineNotTheMarker() throws Exception {
    Path file = tmp.getRoot().toPath().resolve("blank.txt");
    pipeline.apply(Create.of(List.of("b", "", "a"))).apply(SortedTextFile.to(file.toString(), "h"));
    pipeline.run().waitUntilFinish();

    assertEquals("h\n\na\nb\n", Files.readString(file));
  }

  @Test
  public void aWindowedInputIsRefusedWhenThePipelineIsBuilt() {
    PCollection<String> windowed = pipeline.apply(Create.of(List.of("a", "b")))
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> windowed.apply(SortedTextFile.to(tmp.getRoot().toPath().resolve("w.txt").toString(), null)));
    assertTrue(e.getMessage(), e.getMessage().contains("global window") && e.getMessage().contains("FixedWindows"));
    pipeline.enableAbandonedNodeEnforcement(false);
  }

  private static long linesCounted(PipelineResult result, String name) {
    MetricQueryResults q = result.metrics().queryMetrics(
        MetricsFilter.builder().addNameFilter(MetricNameFilter.named("output", "lines_" + name)).build());
    long n = 0;
    for (var c : q.getCounters()) {
      n += c.getAttempted();
    }
    return n;
  }
}
