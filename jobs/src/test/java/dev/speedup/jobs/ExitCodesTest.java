package dev.speedup.jobs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.jobs.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Exit codes a script can act on: 0 all succeeded, 3 more failed than --maxFailures allows, 2 usage. */
public class ExitCodesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Four dates, {@code failing} of them answered 404 (not retried), against the embedded stand-in. */
  private Cli.Result fetch(int failing, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("fetch", "--startDate=2020-06-01", "--days=4", "--fixtureLatency=5ms",
        "--output=" + tmp.newFolder().toPath()));
    StringBuilder faults = new StringBuilder();
    for (int i = 0; i < failing; i++) {
      faults.append(faults.length() == 0 ? "" : ",").append("2020-06-0").append(i + 1).append("=404");
    }
    if (failing > 0) {
      args.add("--fixtureFaults=" + faults);
    }
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(new String[0]));
  }

  @Test
  public void fetchExitsZeroOnlyWhenEveryDateSucceeded() throws Exception {
    assertEquals(ExitCode.OK, fetch(0).code());
    Cli.Result one = fetch(1);
    assertEquals(one.err(), ExitCode.SOME_FAILED, one.code());
    assertThat(one.err(), containsString("1 of 4 dates failed, more than --maxFailures=0 allows (exit 3"));
    Cli.Result all = fetch(4);
    assertEquals(all.err(), ExitCode.SOME_FAILED, all.code());
    assertThat(all.out(), containsString("0 succeeded, 4 failed"));
  }

  @Test
  public void maxFailuresTakesACountOrAShare() throws Exception {
    assertEquals(ExitCode.OK, fetch(1, "--maxFailures=1").code());
    assertEquals(ExitCode.SOME_FAILED, fetch(2, "--maxFailures=1").code());
    assertEquals(ExitCode.OK, fetch(1, "--maxFailures=25%").code());
    assertEquals(ExitCode.SOME_FAILED, fetch(2, "--maxFailures=25%").code());
    assertEquals(ExitCode.OK, fetch(4, "--maxFailures=100%").code());
    for (String bad : List.of("-1", "many", "101%", "%")) {
      Cli.Result r = fetch(0, "--maxFailures=" + bad);
      assertEquals(r.err(), ExitCode.USAGE, r.code());
      assertThat(r.err(), containsString("bad value for --maxFailures: '" + bad + "'"));
      assertThat(r.err(), containsString("5%"));
    }
  }

  @Test
  public void imagesExitsThreeWhenAFileFailedAndItsOutputsAreStillComplete() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    dev.speedup.jobs.images.ImagesHostileInputTest.png(in.resolve("good.png"), 80, 60);
    Files.write(in.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Path out = tmp.getRoot().toPath().resolve("out");
    Cli.Result r = Cli.run("images", "--input=" + in, "--output=" + out);
    assertEquals(r.err(), ExitCode.SOME_FAILED, r.code());
    assertThat(r.err(), containsString("1 of 2 files failed"));
    var summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(1, summary.get("succeeded").asInt());
    assertEquals(1, summary.get("failed").asInt());
    assertFalse("a finished run is not marked incomplete", Files.exists(out.resolve("INCOMPLETE")));
    assertEquals(ExitCode.OK, Cli.run("images", "--input=" + in, "--output=" + out, "--maxFailures=50%").code());
  }

  @Test
  public void helpDocumentsTheExitCodes() {
    for (String command : List.of("fetch", "images")) {
      Cli.Result r = Cli.run(command, "--help");
      assertThat(r.out(), containsString("--maxFailures"));
      assertThat(r.out(), containsString("exit codes: 0 every input succeeded"));
      assertThat(r.out(), containsString("[@run-configs/MODE.args]"));
    }
    for (String command : List.of("serve-fixtures", "make-images")) {
      Cli.Result r = Cli.run(command, "--help");
      assertEquals(0, r.code());
      assertFalse(command + " takes no mode file", r.out().contains("run-configs"));
    }
  }
}
