package dev.speedup.jobs.compare;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.jobs.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code --baselines=python}: the talk's own methods on the same images and against the same stand-in. Needs
 * python3 with Pillow and aiohttp (Debian: python3-pil, python3-aiohttp; .ci/run installs them); without them
 * the test is skipped, except under CI.
 */
public class PythonBaselinesTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void theTalksMethodsRunOnTheSameInputs() throws Exception {
    boolean present = Baselines.interpreter("import PIL.Image, aiohttp").isPresent();
    if (System.getenv("CI") == null) {
      Assume.assumeTrue("python3 with Pillow and aiohttp is not installed", present);
    }
    Path out = TMP.newFolder("compare").toPath();
    Cli.Result r = Cli.run("compare", "--modes=threads", "--parallelism=2", "--repeats=1", "--sizes=1,2", "--days=3",
        "--fixtureLatency=5ms", "--images=4", "--baselines=python", "--output=" + out);
    assertEquals(r.err(), 0, r.code());
    JsonNode json = new ObjectMapper().readTree(out.resolve(Report.JSON).toFile());
    JsonNode baselines = json.get("baselines");
    assertThat(json.get("lesson").asText(), allOf(startsWith("The talk's lesson, measured on 8 images: Python's"), containsString("the GIL")));
    List<String> methods = new ArrayList<>();
    for (JsonNode b : baselines) {
      methods.add(b.get("workload").asText() + " " + b.get("method").asText());
      long expected = b.get("workload").asText().equals("fetch") ? 6 : 8; // the largest fitted size of each
      assertEquals(b.toString(), expected, b.get("items").asLong());
      assertEquals(b.toString(), expected, b.get("succeeded").asLong());
      assertThat(b.get("wallSeconds").asDouble(), greaterThan(0.0));
    }
    assertEquals(List.of("fetch python loop", "fetch python threads", "fetch python processes", "fetch python asyncio",
        "images python loop", "images python threads", "images python processes"), methods);
    assertThat(Files.readString(out.resolve(Report.MARKDOWN)), containsString("## The talk's methods in Python, same inputs"));
  }
}
