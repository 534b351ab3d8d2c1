package dev.speedup.jobs.compare;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.jobs.Cli;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A small comparison end to end: real child JVMs, both workloads, the report files read back. */
public class CompareJobTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static Path out;
  private static Cli.Result result;

  @BeforeClass
  public static void compareTwoModesOnBothWorkloads() throws Exception {
    out = TMP.newFolder("compare").toPath();
    result = Cli.run("compare", "--workloads=fetch,images", "--modes=threads,async", "--parallelism=2", "--repeats=1",
        "--days=3", "--fixtureLatency=5ms", "--images=6", "--output=" + out);
  }

  @Test
  public void succeedsAndSaysWhatItFound() {
    assertEquals(result.err(), 0, result.code());
    assertThat(result.out(), containsString("Compared 5 configurations (5 runs"));
    assertThat(result.out(), containsString("All 5 measured runs wrote the same output"));
    assertThat(result.err(), containsString("compare [5/5] images threads p=2, run 1/1"));
  }

  @Test
  public void resultsCsvHasOneRowPerRunAndEveryRunIsCorrect() throws Exception {
    List<String> lines = Files.readAllLines(out.resolve(Report.CSV));
    assertEquals(String.join(",", Run.CSV_HEADER), lines.get(0));
    assertEquals(6, lines.size());
    List<String> configs = lines.subList(1, 6).stream().map(l -> {
      String[] f = l.split(",", -1);
      assertEquals(l, Run.CSV_HEADER.size(), f.length);
      assertEquals(l, "0", f[5]);
      assertEquals(l, "false", f[17]);
      assertThat(l, Double.parseDouble(f[6]), greaterThan(0.0));
      return f[0] + " " + f[1] + " " + f[2];
    }).toList();
    // sequential was added as the baseline; async does not apply to images.
    assertEquals(List.of("fetch sequential 1", "fetch threads 2", "fetch async 2", "images sequential 1", "images threads 2"), configs);
  }

  @Test
  public void resultsJsonCarriesTheStatisticsAndTheNotes() throws Exception {
    JsonNode json = new ObjectMapper().readTree(out.resolve(Report.JSON).toFile());
    assertEquals(Runtime.getRuntime().availableProcessors(), json.get("machine").get("cores").asInt());
    assertEquals(5, json.get("configurations").size());
    assertEquals(5, json.get("runs").size());
    JsonNode seq = json.get("configurations").get(0);
    assertEquals("sequential", seq.get("mode").asText());
    assertEquals(1.0, seq.get("speedup").asDouble(), 1e-9);
    assertEquals(3, seq.get("items").asInt());
    JsonNode threads = json.get("configurations").get(1);
    double expected = seq.get("medianWallSeconds").asDouble() / threads.get("medianWallSeconds").asDouble();
    assertEquals(expected, threads.get("speedup").asDouble(), 0.002);
    assertEquals(expected / 2, threads.get("efficiency").asDouble(), 0.002);
    assertThat(json.get("amdahlFits").size(), greaterThanOrEqualTo(2));
    assertThat(json.get("notes").toString(), containsString("async was skipped for images"));
    assertThat(json.get("findings").size(), greaterThan(3));
  }

  @Test
  public void htmlIsSelfContainedWithTheTableAndTheChart() throws Exception {
    String html = Files.readString(out.resolve(Report.HTML));
    assertThat(html, containsString("<table>"));
    assertThat(html, containsString("<td>images</td><td>threads</td><td>2</td>"));
    assertThat(html, containsString(Runtime.getRuntime().availableProcessors() + " cores"));
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    assertThat("the chart is embedded", m.find(), is(true));
    BufferedImage chart = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
    assertEquals(2 * 640, chart.getWidth());
    BufferedImage file = ImageIO.read(out.resolve(Report.CHART).toFile());
    assertEquals(chart.getWidth(), file.getWidth());
    assertThat(Files.readString(out.resolve(Report.MARKDOWN)), containsString("| workload | mode | workers | median wall s |"));
  }

  @Test
  public void badFlagsFailFastNamingTheFlag() {
    Cli.Result r = Cli.run("compare", "--modes=threads,gpu");
    assertEquals(2, r.code());
    assertThat(r.err(), allOf(containsString("--modes"), containsString("gpu"), containsString("flink-cluster")));
    r = Cli.run("compare", "--parallelism=0,2");
    assertEquals(2, r.code());
    assertThat(r.err(), containsString("--parallelism"));
    r = Cli.run("compare", "--colour=red");
    assertEquals(2, r.code());
    assertThat(r.err(), containsString("unknown flag --colour"));
  }
}
