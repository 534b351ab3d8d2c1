package dev.speedup.jobs.compare;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.speedup.jobs.compare.Run.Config;
import dev.speedup.jobs.compare.Run.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class AnalysisTest {
  /** A run of a job with {@code startup} s before its first image, 0.5 s after its last, at {@code rate} images/s, plus {@code noise}. */
  private static Result run(String mode, int p, long items, double startup, double rate, double noise, String checksum) {
    double pipeline = items / rate;
    return Result.of(new Config("images", mode, p, 1), Result.FIT, items, 1, 0, startup + pipeline + 0.5 + noise, startup, pipeline,
        0, 1, 100, 0, checksum);
  }

  private static List<Result> grid(String mode, int p, double startup, double rate, double[] noise) {
    List<Result> out = new ArrayList<>();
    for (long n : new long[] {100, 400}) {
      for (double e : noise) {
        out.add(run(mode, p, n, startup, rate, e, "sum" + n));
      }
    }
    return out;
  }

  @Test
  public void aRunIsCheckedAgainstSequentialAtItsOwnSize() {
    List<Result> marked = Analysis.markWrong(List.of(
        run("sequential", 1, 100, 2, 50, 0, "a100"),
        run("sequential", 1, 400, 2, 50, 0, "a400"),
        run("threads", 2, 100, 2, 90, 0, "a100"),
        run("threads", 2, 400, 2, 90, 0, "a100"), // the 100-image output at 400: wrong
        run("threads", 4, 800, 2, 90, 0, null))); // no sequential run at 800, and a fitting run: wrong
    assertEquals(List.of(false, false, false, true, true), marked.stream().map(Result::wrong).toList());
    Result check = Result.of(new Config("images", "threads", 2, 1), Result.CHECK, 800, 1, 0, 12, 2, 9, 0, 1, 100, 0, "x");
    assertFalse("a model check at a size sequential did not run is judged by its exit code", Analysis.markWrong(List.of(check)).get(0).wrong());
  }

  @Test
  public void perItemSpeedupIsFreeOfStartupWhileTheWholeRunIsNot() {
    List<Result> rs = new ArrayList<>();
    rs.addAll(grid("sequential", 1, 2.0, 50, new double[] {-0.05, 0, 0.05}));
    rs.addAll(grid("threads", 2, 2.0, 90, new double[] {-0.05, 0, 0.05}));
    Analysis a = Analysis.of(Analysis.markWrong(rs), Map.of("images", 5856L), 2);
    Analysis.Model threads = a.model(new Config("images", "threads", 2, 1)).orElseThrow();
    assertEquals(1.8, threads.rateSpeedup().value(), 1e-6);
    assertEquals(0.9, threads.efficiency(), 1e-6);
    assertEquals(Scaling.karpFlatt(1.8, 2), threads.karpFlatt(), 1e-6);
    // At 100 images the whole run is only (2 + 2 + 0.5) / (2 + 1.11 + 0.5) = 1.25x faster.
    Analysis.Point at100 = a.points().stream().filter(p -> p.items() == 100 && p.config().mode().equals("threads")).findFirst().orElseThrow();
    assertEquals(4.5 / (2.5 + 100 / 90.0), at100.speedup().value(), 1e-6);
    Analysis.Prediction p = a.prediction(new Config("images", "threads", 2, 1)).orElseThrow();
    assertEquals(2.5 + 5856 / 90.0, p.seconds(), 1e-6);
    assertThat(p.low(), lessThan(p.seconds()));
    assertThat(p.high(), greaterThan(p.seconds()));
    assertEquals(0.0, a.fit("images", "threads").orElseThrow().serialFraction(), 0.12);
  }

  @Test
  public void configurationsWhoseIntervalsOverlapAreNotRanked() {
    List<Result> rs = new ArrayList<>();
    double[] noisy = {-0.6, 0, 0.6};
    rs.addAll(grid("sequential", 1, 2.0, 20, noisy));
    rs.addAll(grid("threads", 2, 2.0, 40, noisy));
    rs.addAll(grid("threads", 4, 2.0, 41, noisy)); // 2.5% faster per image: inside the noise
    rs.addAll(grid("flink-local", 2, 6.0, 30, noisy)); // slower start, slower rate: never worth it
    Analysis a = Analysis.of(Analysis.markWrong(rs), Map.of("images", 400L), 2);
    Verdict.Ranking r = Verdict.rank(a, "images").orElseThrow();
    // x4's point estimate is the faster, but within the noise: the fewer workers are recommended.
    assertThat(a.prediction(new Config("images", "threads", 4, 1)).orElseThrow().seconds(),
        lessThan(a.prediction(new Config("images", "threads", 2, 1)).orElseThrow().seconds()));
    assertEquals("threads", r.best().mode());
    assertEquals(2, r.best().workers());
    assertEquals(List.of(4), r.tied().stream().map(Analysis.Prediction::workers).toList());
    // Flink is weighed against what the verdict recommends.
    assertThat(Verdict.verdict(a, "images"), allOf(startsWith("images: use threads with 2 workers"),
        containsString("no measurable difference from threads x4"), containsString("flink-local x2 never overtakes threads x2")));
    // Far apart: sequential is not tied with either.
    assertFalse(r.tied().stream().anyMatch(t -> t.mode().equals("sequential")));
  }

  /** Parallel runs no measurably faster than sequential: stay sequential, and say the faster estimate is noise. */
  @Test
  public void whenNothingIsMeasurablyFasterTheVerdictStaysSequentialAndSaysWhy() {
    List<Result> rs = new ArrayList<>();
    double[] noisy = {-0.6, 0, 0.6};
    rs.addAll(grid("sequential", 1, 2.0, 40, noisy));
    rs.addAll(grid("threads", 2, 2.0, 41, noisy));
    Analysis a = Analysis.of(Analysis.markWrong(rs), Map.of("images", 400L), 2);
    Verdict.Ranking r = Verdict.rank(a, "images").orElseThrow();
    assertEquals("sequential", r.best().mode());
    assertThat(Verdict.verdict(a, "images"), allOf(startsWith("images: stay sequential: at 400 images nothing is measurably faster"),
        containsString("threads x2's"), containsString("within the noise")));
    // The scaling it did measure is still reported.
    assertThat(Verdict.scaling(a, "images").orElseThrow(), startsWith("images on threads, per item: "));
  }

  @Test
  public void crossoversAndNever() {
    List<Result> rs = new ArrayList<>();
    double[] quiet = {0};
    rs.addAll(grid("sequential", 1, 2.5, 50, quiet));
    rs.addAll(grid("threads", 2, 2.5, 100, quiet)); // 3 s + n/100
    rs.addAll(grid("flink-local", 2, 6.5, 200, quiet)); // 7 s + n/200: overtakes threads at 800
    Analysis a = Analysis.of(Analysis.markWrong(rs), Map.of("images", 5856L), 2);
    Analysis.Crossover flinkThreads = a.crossovers().stream().filter(c -> c.faster().equals("flink-local") && c.slower().equals("threads"))
        .findFirst().orElseThrow();
    assertEquals(800, flinkThreads.aboveItems(), 1e-6);
    Analysis.Crossover threadsSeq = a.crossovers().stream().filter(c -> c.slower().equals("sequential") && c.faster().equals("threads"))
        .findFirst().orElseThrow();
    assertNull("threads starts as early and runs faster: faster at every size", threadsSeq.aboveItems());
    assertThat(Verdict.verdict(a, "images"), allOf(startsWith("images: use flink-local with 2 workers"),
        containsString("flink-local x2 overtakes threads x2 above about 800 images")));
  }

  @Test
  public void findingsAreFewAndRankedWithWrongOutputFirst() {
    List<Result> rs = new ArrayList<>();
    rs.addAll(grid("sequential", 1, 2.0, 50, new double[] {0, 0.1}));
    rs.addAll(grid("threads", 2, 2.0, 90, new double[] {0, 0.1}));
    rs.add(run("threads", 4, 100, 2, 90, 0, "different"));
    Analysis a = Analysis.of(Analysis.markWrong(rs), Map.of("images", 5856L), 2);
    List<String> f = Verdict.findings(a);
    assertThat(f.size(), lessThanOrEqualTo(Verdict.MAX_FINDINGS));
    assertThat(f.get(0), allOf(startsWith("WRONG OUTPUT: 1 of 9 runs"), containsString("images threads p=4 at 100 #1")));
    assertThat(f.get(1), containsString("Start-up and teardown"));
    assertEquals("no two findings alike", f.size(), f.stream().distinct().count());
  }

  @Test
  public void withoutSequentialThereIsNoAnswer() {
    List<Result> rs = grid("threads", 2, 2.0, 90, new double[] {0});
    Analysis a = Analysis.of(Analysis.markWrong(rs), Map.of("images", 5856L), 2);
    assertThat(Verdict.verdict(a, "images"), containsString("no answer"));
  }
}
