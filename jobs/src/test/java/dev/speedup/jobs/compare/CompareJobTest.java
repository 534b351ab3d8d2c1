package dev.speedup.jobs.compare;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.jobs.Cli;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A small comparison end to end: real child JVMs, both workloads at two sizes, a model check, the report files read back. */
public class CompareJobTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static Path out;
  private static Cli.Result result;
  private static JsonNode json;

  @BeforeClass
  public static void compareTwoModesOnBothWorkloads() throws Exception {
    out = TMP.newFolder("compare").toPath();
    result = Cli.run("compare", "--workloads=fetch,images", "--modes=threads,async", "--parallelism=2", "--repeats=1", "--sizes=1,2",
        "--days=3", "--fixtureLatency=5ms", "--images=4", "--predict=images:5856", "--output=" + out);
    if (Files.exists(out.resolve(Report.JSON))) {
      json = new ObjectMapper().readTree(out.resolve(Report.JSON).toFile());
    }
  }

  @Test
  public void succeedsAndSaysTheVerdictFirst() {
    assertEquals(result.err(), 0, result.code());
    // fetch: sequential, threads, async; images: sequential, threads; each at 2 sizes, plus one check per workload.
    assertThat(result.out(), containsString("Compared 5 configurations (12 runs"));
    assertThat(result.out(), containsString("Verdict:\n- fetch: "));
    assertThat(result.out(), containsString("All 12 measured runs wrote the same output"));
    assertThat(result.err(), containsString("compare [10/10] images threads p=2 at 8 images, run 1/1"));
    assertThat(result.err(), containsString("compare [check]"));
  }

  @Test
  public void resultsCsvHasOneRowPerRunAtEachSize() throws Exception {
    List<String> lines = Files.readAllLines(out.resolve(Report.CSV));
    assertThat(lines.get(0), startsWith("workload,mode,parallelism,inFlightPerWorker,purpose,items,repeat,exitCode,wallSeconds"));
    assertEquals(13, lines.size());
    List<String> fits = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",", -1);
      assertEquals(l, lines.get(0).split(",").length, f.length);
      assertEquals(l, "0", f[7]);
      assertThat(l, Double.parseDouble(f[8]), greaterThan(0.0));
      if (f[4].equals("fit")) {
        fits.add(f[0] + " " + f[1] + " " + f[2] + " " + f[5]);
      }
    }
    // sequential was added as the baseline; async does not apply to images; sizes 1 and 2 of 3 dates and 4 images.
    assertEquals(List.of("fetch sequential 1 3", "fetch threads 2 3", "fetch async 2 3", "images sequential 1 4", "images threads 2 4",
        "fetch sequential 1 6", "fetch threads 2 6", "fetch async 2 6", "images sequential 1 8", "images threads 2 8"), fits);
  }

  @Test
  public void resultsJsonHoldsTheModelPredictionsCrossoversAndTheCheck() {
    JsonNode model = json.get("model");
    assertEquals(5, model.size());
    for (JsonNode m : model) {
      for (String k : List.of("startupSeconds", "teardownSeconds", "itemsPerSecond")) {
        JsonNode v = m.get(k);
        assertTrue(m + " " + k, v.get("low").asDouble() <= v.get("value").asDouble() && v.get("value").asDouble() <= v.get("high").asDouble());
      }
      assertThat(m.get("workers").asInt(), anyOf(is(1), is(2)));
    }
    JsonNode predictions = json.get("predictions");
    assertEquals(5, predictions.size());
    for (JsonNode p : predictions) {
      long expected = p.get("workload").asText().equals("images") ? 5856 : 3650; // fetch keeps its default
      assertEquals(expected, p.get("items").asLong());
      assertThat(p.get("seconds").asDouble(), allOf(greaterThanOrEqualTo(p.get("low").asDouble()), lessThanOrEqualTo(p.get("high").asDouble())));
    }
    // fetch: 3 modes -> 3 pairs; images: 2 modes -> 1 pair.
    assertEquals(4, json.get("crossovers").size());
    for (JsonNode c : json.get("crossovers")) {
      assertThat(c.toString(), c.has("faster") && c.has("slower") && c.has("aboveItems"), is(true));
    }
    JsonNode check = json.get("modelCheck");
    assertEquals(2, check.size());
    for (JsonNode c : check) {
      long checked = c.get("workload").asText().equals("fetch") ? 9 : 12; // 1.5 x the largest fitted size (6 dates, 8 images)
      assertEquals(checked, c.get("items").asLong());
      assertThat(c.get("measuredSeconds").asDouble(), greaterThan(0.0));
      assertThat(c.get("predictedSeconds").asDouble(), greaterThan(0.0));
    }
    assertThat(json.get("verdict").size(), is(2));
    assertThat(json.get("findings").size(), allOf(greaterThan(0), lessThanOrEqualTo(Verdict.MAX_FINDINGS)));
    assertThat(json.get("notes").toString(), containsString("async was skipped for images"));
  }

  @Test
  public void reportsOpenWithTheVerdictAndCarryTheCharts() throws Exception {
    String md = Files.readString(out.resolve(Report.MARKDOWN));
    assertThat(md, startsWith("# " + Report.TITLE + "\n\n## Verdict\n\n- fetch: "));
    String html = Files.readString(out.resolve(Report.HTML));
    assertThat(html.indexOf("<h2>Verdict</h2>"), allOf(greaterThan(0), lessThan(html.indexOf("<h2>Findings</h2>"))));
    for (String chart : List.of(Report.CHART, Report.BREAKDOWN, Report.SCALING)) {
      BufferedImage png = ImageIO.read(out.resolve(chart).toFile());
      assertEquals(chart, 2 * Charts.PANEL_WIDTH, png.getWidth());
    }
  }

  @Test
  public void theHtmlRendersInABrowserWithVerdictChartsAndTable() throws Exception {
    HeadlessBrowser.Rendered r = HeadlessBrowser.render(out.resolve(Report.HTML), TMP.newFolder("browser").toPath());
    JsonNode page = r.probe();
    assertEquals(page.toString(), "Verdict", page.get("headings").get(0).asText());
    JsonNode verdicts = page.get("verdict");
    assertEquals(2, verdicts.size());
    assertThat(verdicts.get(0).get("text").asText(), startsWith("fetch: "));
    assertThat(verdicts.get(1).get("text").asText(), startsWith("images: "));
    double verdictBottom = 0;
    for (JsonNode v : verdicts) {
      assertThat("a verdict line takes room on the page", v.get("height").asDouble(), greaterThan(10.0));
      verdictBottom = Math.max(verdictBottom, v.get("bottom").asDouble());
    }
    JsonNode images = page.get("images");
    assertEquals(3, images.size());
    for (JsonNode img : images) {
      assertTrue(img.toString(), img.get("complete").asBoolean());
      assertEquals(img.toString(), 2 * Charts.PANEL_WIDTH, img.get("naturalWidth").asInt());
      assertThat(img.toString(), img.get("width").asDouble(), greaterThan(300.0));
      assertThat("charts come after the verdict", img.get("top").asDouble(), greaterThan(verdictBottom));
    }
    JsonNode table = page.get("table");
    assertThat(table.get("headers").toString(), allOf(containsString("per-item speedup"), containsString("whole-run speedup")));
    assertEquals(5, table.get("rows").size());
    assertEquals("fetch", table.get("rows").get(0).get(0).asText());
    assertThat(table.get("rows").get(0).get(4).asText(), matchesPattern("[0-9.]+ \\([0-9.]+-[0-9.]+\\)"));
    BufferedImage shot = ImageIO.read(r.screenshot().toFile());
    assertThat("the screenshot shows something besides white", HeadlessBrowser.inkShare(shot), greaterThan(0.01));
  }

  @Test
  public void aFolderAnotherCompareHoldsIsRefusedBeforeAnythingRuns() throws Exception {
    Path out = TMP.getRoot().toPath().resolve("held");
    try (dev.speedup.jobs.output.OutputLock held = dev.speedup.jobs.output.OutputLock.take(out, "output", "compare")) {
      Cli.Result r = Cli.run("compare", "--workloads=fetch", "--modes=sequential", "--repeats=1", "--sizes=1,2", "--output=" + out);
      assertEquals(r.err(), 2, r.code());
      assertThat(r.err(), containsString("another compare run holds"));
      assertTrue("nothing of a run was written", Files.notExists(out.resolve("runs")));
    }
  }

  @Test
  public void badFlagsFailFastNamingTheFlag() {
    Cli.Result r = Cli.run("compare", "--modes=threads,gpu");
    assertEquals(2, r.code());
    assertThat(r.err(), allOf(containsString("--modes"), containsString("gpu"), containsString("flink-cluster")));
    r = Cli.run("compare", "--parallelism=0,2");
    assertEquals(2, r.code());
    assertThat(r.err(), containsString("--parallelism"));
    r = Cli.run("compare", "--sizes=4");
    assertEquals(2, r.code());
    assertThat(r.err(), allOf(containsString("--sizes"), containsString("two or more")));
    r = Cli.run("compare", "--predict=images:lots");
    assertEquals(2, r.code());
    assertThat(r.err(), allOf(containsString("--predict"), containsString("images:lots")));
    r = Cli.run("compare", "--baselines=R");
    assertEquals(2, r.code());
    assertThat(r.err(), allOf(containsString("--baselines"), containsString("none or python")));
    r = Cli.run("compare", "--colour=red");
    assertEquals(2, r.code());
    assertThat(r.err(), containsString("unknown flag --colour"));
  }
}
