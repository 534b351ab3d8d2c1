package dev.speedup.jobs.compare;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.speedup.jobs.compare.Run.Config;
import dev.speedup.jobs.compare.Run.Result;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class AnalysisTest {
  private static Result run(String mode, int p, int repeat, double wall, String checksum) {
    return run(mode, p, repeat, wall, checksum, 0);
  }

  private static Result run(String mode, int p, int repeat, double wall, String checksum, int exit) {
    return new Result(new Config("images", mode, p, 1), repeat, exit, wall, wall - 2, 2, 100, 0, wall, 300, 0, checksum, false);
  }

  @Test
  public void aRunWhoseOutputDiffersFromSequentialIsMarkedWrong() {
    List<Result> marked = Analysis.markWrong(List.of(
        run("sequential", 1, 1, 10, "aaaa"),
        run("threads", 2, 1, 6, "aaaa"),
        run("threads", 2, 2, 6, "bbbb"), // different output
        run("threads", 4, 1, 5, null, 1))); // failed
    assertFalse(marked.get(0).wrong());
    assertFalse(marked.get(1).wrong());
    assertTrue(marked.get(2).wrong());
    assertTrue(marked.get(3).wrong());

    Analysis a = Analysis.of(marked, 0.05, 2);
    Analysis.Point threads2 = a.point("images", "threads", 2).orElseThrow();
    assertEquals(1, threads2.wrongRuns());
    assertThat(a.findings().get(a.findings().size() - 1),
        allOf(startsWith("WRONG OUTPUT: 2 of 4 runs"), containsString("images threads p=2 #2"), containsString("images threads p=4 #1")));
  }

  @Test
  public void withoutASuccessfulSequentialRunEverythingIsWrong() {
    List<Result> marked = Analysis.markWrong(List.of(run("sequential", 1, 1, 10, null, 1), run("threads", 2, 1, 6, "aaaa")));
    assertTrue(marked.stream().allMatch(Result::wrong));
    assertThat(Analysis.of(marked, 0.05, 2).findings().get(0), containsString("no successful sequential run"));
  }

  @Test
  public void speedupsEfficiencyKarpFlattAndFitsComeFromTheMedians() {
    List<Result> rs = new ArrayList<>();
    // Sequential: median of 9, 10, 12 = 10. threads p=2: median 6 -> 1.667x; p=4: median 4 -> 2.5x.
    for (double w : new double[] {9, 10, 12}) {
      rs.add(run("sequential", 1, rs.size(), w, "x"));
    }
    for (double w : new double[] {6, 7, 5.5}) {
      rs.add(run("threads", 2, rs.size(), w, "x"));
    }
    for (double w : new double[] {4, 4.5, 3}) {
      rs.add(run("threads", 4, rs.size(), w, "x"));
    }
    Analysis a = Analysis.of(Analysis.markWrong(rs), 0.05, 2);
    Analysis.Point p2 = a.point("images", "threads", 2).orElseThrow();
    Analysis.Point p4 = a.point("images", "threads", 4).orElseThrow();
    assertEquals(10.0 / 6, p2.speedup(), 1e-9);
    assertEquals(1.5, p2.wallRange(), 1e-9);
    assertEquals(2.5, p4.speedup(), 1e-9);
    assertEquals(0.625, p4.efficiency(), 1e-9);
    assertEquals(0.2, p4.karpFlatt(), 1e-9); // worked in ScalingTest
    assertEquals(Scaling.amdahlFit(new int[] {2, 4}, new double[] {10.0 / 6, 2.5}), a.fit("images", "threads").orElseThrow().serialFraction(), 1e-12);
    assertThat(a.findings().get(0), containsString("fastest was threads with 4 workers, 4.00 s against sequential's 10.00 s: 2.50x, efficiency 63%"));
    assertThat(a.findings().get(a.findings().size() - 1), startsWith("All 9 measured runs wrote the same output"));
  }
}
