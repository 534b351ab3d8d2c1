package dev.speedup.jobs.compare;

import dev.speedup.jobs.compare.Analysis.AmdahlFit;
import dev.speedup.jobs.compare.Analysis.Crossover;
import dev.speedup.jobs.compare.Analysis.Model;
import dev.speedup.jobs.compare.Analysis.ModelCheck;
import dev.speedup.jobs.compare.Analysis.Point;
import dev.speedup.jobs.compare.Analysis.Prediction;
import dev.speedup.jobs.compare.Bootstrap.Interval;
import dev.speedup.jobs.compare.Run.Config;
import dev.speedup.jobs.compare.Run.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report in words: one sentence per workload that answers "which parallelism, how many workers, how much
 * faster, and when does Flink pay off", then at most six findings, most important first, each computed from
 * the analysis and none repeating another. Two configurations whose intervals overlap are never ranked.
 */
public final class Verdict {
  public static final int MAX_FINDINGS = 6;

  private Verdict() {}

  /** Items of a workload, in words. */
  static String unit(String workload) {
    return workload.equals("fetch") ? "dates" : "images";
  }

  /**
   * The configuration recommended at {@code n} items, and the others of its tie. The tie is the fastest by
   * predicted time and every configuration no measurably slower than it; of those the one that asks least
   * is recommended: the fewest workers, then not Flink (its start-up), then the fastest. Within a tie the
   * order of the point estimates is noise, and picking by it flipped the answer from run to run.
   */
  record Ranking(Prediction best, List<Prediction> tied) {}

  private static final Comparator<Prediction> LEAST_ASKED = Comparator.comparingInt(Prediction::workers)
      .thenComparing(p -> p.mode().startsWith("flink"))
      .thenComparingDouble(Prediction::seconds);

  static Optional<Ranking> rank(Analysis a, String workload) {
    List<Prediction> ps = a.predictions().stream().filter(p -> p.workload().equals(workload))
        .sorted(Comparator.comparingDouble(Prediction::seconds)).toList();
    if (ps.isEmpty()) {
      return Optional.empty();
    }
    Prediction fastest = ps.get(0);
    List<Prediction> tie = ps.stream().filter(p -> p == fastest || noMeasurableDifference(fastest.interval(), p.interval())).toList();
    Prediction recommended = tie.stream().min(LEAST_ASKED).orElseThrow();
    return Optional.of(new Ranking(recommended, tie.stream().filter(p -> p != recommended).toList()));
  }

  /** The decision rule: overlapping 95% intervals are no measurable difference. */
  public static boolean noMeasurableDifference(Interval a, Interval b) {
    return a.overlaps(b);
  }

  public static List<String> verdicts(Analysis a) {
    List<String> out = new ArrayList<>();
    for (String w : a.workloads()) {
      out.add(verdict(a, w));
    }
    return out;
  }

  static String verdict(Analysis a, String w) {
    Optional<Ranking> r = rank(a, w);
    Optional<Model> seq = a.models().stream().filter(m -> m.config().workload().equals(w) && m.config().mode().equals("sequential")).findFirst();
    if (r.isEmpty() || seq.isEmpty()) {
      return w + ": no answer: no configuration could be modelled (a successful sequential run at two sizes or more is needed; see the notes).";
    }
    Prediction best = r.get().best();
    Config bc = new Config(w, best.mode(), best.workers(), 0);
    Model bm = a.models().stream().filter(m -> m.config().workload().equals(w) && m.config().mode().equals(best.mode())
        && m.config().parallelism() == best.workers()).findFirst().orElseThrow();
    long n = best.items();
    StringBuilder b = new StringBuilder();
    if (best.mode().equals("sequential")) {
      // Faster point estimates can only be in the tie: the noise, said as such.
      Optional<Prediction> faster = r.get().tied().stream().filter(p -> p.seconds() < best.seconds()).findFirst();
      b.append(String.format(Locale.ROOT, "%s: stay sequential: at %,d %s nothing is %s faster (%.1f s, %.1f-%.1f%s)", w, n, unit(w),
          faster.isPresent() ? "measurably" : "predicted", best.seconds(), best.low(), best.high(),
          faster.map(f -> String.format(Locale.ROOT, "; %s x%d's %.1f s, %.1f-%.1f, is within the noise: more --repeats narrow the intervals",
              f.mode(), f.workers(), f.seconds(), f.low(), f.high())).orElse("")));
    } else {
      Interval whole = bm.cost().timeRatio(seq.get().cost(), n).map(x -> 1 / x);
      b.append(String.format(Locale.ROOT, "%s: use %s with %d worker%s: at %,d %s it is predicted %s faster than sequential (%.1f s, %.1f-%.1f), "
              + "its per-item rate being %s sequential's",
          w, best.mode(), best.workers(), best.workers() == 1 ? "" : "s", n, unit(w), times(whole), best.seconds(), best.low(), best.high(),
          times(bm.rateSpeedup())));
      Optional<Point> measured = a.pointsAtLargestSize(w).stream().filter(p -> p.config().mode().equals(bc.mode())
          && p.config().parallelism() == bc.parallelism() && p.speedup() != null).findFirst();
      measured.ifPresent(p -> b.append(String.format(Locale.ROOT, " (measured at %,d: %s)", p.items(), times(p.speedup()))));
    }
    if (!r.get().tied().isEmpty()) {
      b.append("; no measurable difference from ").append(String.join(", ", r.get().tied().stream()
          .map(p -> p.mode().equals("sequential") ? "sequential" : p.mode() + " x" + p.workers()).toList()));
    }
    b.append("; ").append(flinkPaysOff(a, w, bm)).append('.');
    return b.toString();
  }

  /**
   * When Flink (embedded, or the cluster) overtakes the DirectRunner configuration the verdict recommends
   * (the fastest DirectRunner one when it recommends Flink), or that it does not.
   */
  static String flinkPaysOff(Analysis a, String w, Model recommended) {
    List<Model> best = Crossovers.bestPerMode(a.models(), w);
    Optional<Model> direct = recommended.config().mode().startsWith("flink")
        ? best.stream().filter(m -> !m.config().mode().startsWith("flink")).max(Comparator.comparingDouble(m -> m.itemsPerSecond().value()))
        : Optional.of(recommended);
    List<String> parts = new ArrayList<>();
    for (Model f : best.stream().filter(m -> m.config().mode().startsWith("flink")).toList()) {
      if (direct.isEmpty()) {
        continue;
      }
      Crossover c = Crossovers.crossover(f, direct.get());
      String d = direct.get().config().shortLabel();
      if (c.aboveItems() != null && c.faster().equals(f.config().mode())) {
        parts.add(String.format(Locale.ROOT, "%s overtakes %s above about %s %s", f.config().shortLabel(), d, round(c.aboveItems()), unit(w)));
      } else if (c.aboveItems() != null) {
        parts.add(String.format(Locale.ROOT, "%s is faster than %s only below about %s %s", f.config().shortLabel(), d, round(c.aboveItems()), unit(w)));
      } else if (c.faster().equals(f.config().mode())) {
        parts.add(String.format(Locale.ROOT, "%s beats %s at every size", f.config().shortLabel(), d));
      } else {
        parts.add(String.format(Locale.ROOT, "%s never overtakes %s below 10^7 %s (start-up %.1f s against %.1f s, %s against %s items/s)",
            f.config().shortLabel(), d, unit(w), f.startupSeconds().value(), direct.get().startupSeconds().value(),
            rate(f.itemsPerSecond()), rate(direct.get().itemsPerSecond())));
      }
    }
    return parts.isEmpty() ? "Flink was not measured" : String.join("; ", parts);
  }

  /** At most {@link #MAX_FINDINGS}, most important first. */
  public static List<String> findings(Analysis a) {
    List<String> out = new ArrayList<>();
    long wrong = a.results().stream().filter(Result::wrong).count();
    if (wrong > 0) {
      out.add(String.format(Locale.ROOT, "WRONG OUTPUT: %d of %d runs failed or wrote output different from sequential's: %s.", wrong,
          a.results().size(), String.join(", ", a.results().stream().filter(Result::wrong)
              .map(r -> r.config().label() + " at " + r.items() + " #" + r.repeat()).distinct().toList())));
    }
    List<String> fixed = new ArrayList<>();
    for (String w : a.workloads()) {
      a.models().stream().filter(m -> m.config().workload().equals(w) && m.config().mode().equals("sequential")).findFirst().ifPresent(s -> {
        long small = a.points().stream().filter(p -> p.config().workload().equals(w)).mapToLong(Point::items).min().orElse(0);
        long big = a.predictAt().getOrDefault(w, small);
        double f = s.startupSeconds().value() + s.teardownSeconds().value();
        fixed.add(String.format(Locale.ROOT, "%s %.0f%% of sequential's time at %,d %s but %.0f%% at %,d", w,
            100 * f / s.cost().predictSeconds(small).value(), small, unit(w), 100 * f / s.cost().predictSeconds(big).value(), big));
      });
    }
    if (!fixed.isEmpty()) {
      out.add("Start-up and teardown (JVM, runner, outputs; serial, paid once per run) are " + String.join("; ", fixed)
          + ": whole-run speedups measured on small inputs understate what parallelism does at scale, so scaling below is judged on the per-item rate.");
    }
    for (String w : a.workloads()) {
      scaling(a, w).ifPresent(out::add);
    }
    inFlight(a).ifPresent(out::add);
    if (!a.checks().isEmpty()) {
      out.add("Model check, each at a size no fit saw: " + String.join("; ", a.checks().stream().map(c -> String.format(Locale.ROOT,
          "%s %s x%d at %,d %s predicted %.2f s (%.2f-%.2f), measured %.2f s: the prediction was %.0f%% %s", c.workload(), c.mode(), c.workers(),
          c.items(), unit(c.workload()), c.predictedSeconds(), c.low(), c.high(), c.measuredSeconds(), 100 * Math.abs(c.errorShare()),
          c.errorShare() > 0 ? "low" : "high")).toList()) + ".");
    }
    if (wrong == 0) {
      out.add(String.format(Locale.ROOT, "All %d measured runs wrote the same output as the sequential run of their workload and size.", a.results().size()));
    }
    return out.size() > MAX_FINDINGS ? out.subList(0, MAX_FINDINGS) : out;
  }

  /**
   * The per-item scaling of the recommended parallel mode (when the verdict stays sequential within the noise,
   * of the fastest parallel one), its Amdahl ceilings (work alone, and the whole run at the predicted size),
   * and what the cores do.
   */
  static Optional<String> scaling(Analysis a, String w) {
    Optional<Ranking> r = rank(a, w);
    if (r.isEmpty()) {
      return Optional.empty();
    }
    Optional<Prediction> parallel = r.get().best().mode().equals("sequential")
        ? r.get().tied().stream().filter(p -> !p.mode().equals("sequential")).min(Comparator.comparingDouble(Prediction::seconds))
        : Optional.of(r.get().best());
    if (parallel.isEmpty()) {
      return Optional.empty();
    }
    String mode = parallel.get().mode();
    List<Model> ms = a.models().stream().filter(m -> m.config().workload().equals(w) && m.config().mode().equals(mode) && m.rateSpeedup() != null)
        .sorted(Comparator.comparingInt(m -> m.config().parallelism())).toList();
    Model seq = a.models().stream().filter(m -> m.config().workload().equals(w) && m.config().mode().equals("sequential")).findFirst().orElseThrow();
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s on %s, per item: ", w, mode));
    b.append(String.join(", ", ms.stream().map(m -> String.format(Locale.ROOT, "%s with %d (efficiency %.0f%%, Karp-Flatt %.2f)",
        times(m.rateSpeedup()), m.config().parallelism(), 100 * m.efficiency(), m.karpFlatt())).toList()));
    Optional<AmdahlFit> fit = a.fit(w, mode);
    int inFlight = ms.get(0).config().inFlight();
    if (ms.stream().anyMatch(m -> m.efficiency() > 1 || m.karpFlatt() < 0)) {
      b.append(inFlight > 1
          ? String.format(Locale.ROOT, ". Efficiency over 100%% and a negative Karp-Flatt say the worker thread is not the unit of parallelism here: "
              + "requests in flight are (up to %d per worker), so Amdahl's law over workers does not apply", inFlight)
          : ". Efficiency over 100% (a negative Karp-Flatt) is faster than linear: bigger bundles or warmer caches per worker, or noise within the intervals");
    } else if (fit.isPresent() && fit.get().points() > 0) {
      AmdahlFit f = fit.get();
      long n = a.predictAt().getOrDefault(w, 0L);
      double fixed = ms.stream().mapToDouble(m -> m.startupSeconds().value() + m.teardownSeconds().value()).min().orElse(0);
      double work = n / seq.itemsPerSecond().value();
      double whole = (seq.startupSeconds().value() + seq.teardownSeconds().value() + work) / (fixed + f.serialFraction() * work);
      b.append(String.format(Locale.ROOT, ". Amdahl on the work: serial fraction %.2f, so at most %s on any number of workers; with its %.1f s of "
              + "start-up and teardown, the whole run at %,d %s can reach at most %.1fx", f.serialFraction(),
          Double.isInfinite(f.maxWorkSpeedup()) ? "no limit" : String.format(Locale.ROOT, "%.1fx", f.maxWorkSpeedup()), fixed, n, unit(w), whole));
    }
    Optional<Model> atCores = ms.stream().filter(m -> m.config().parallelism() <= a.cores()).reduce((x, y) -> y);
    Optional<Model> beyond = ms.stream().filter(m -> m.config().parallelism() > a.cores()).reduce((x, y) -> y);
    if (atCores.isPresent() && beyond.isPresent() && inFlight <= 1) {
      boolean same = atCores.get().rateSpeedup().overlaps(beyond.get().rateSpeedup());
      b.append(String.format(Locale.ROOT, ". Workers beyond the %d cores %s", a.cores(), same ? "made no measurable difference"
          : beyond.get().rateSpeedup().value() > atCores.get().rateSpeedup().value() ? "still helped (the work waits on something other than the CPU)"
          : "made it slower (the work is CPU-bound)"));
    }
    return Optional.of(b.append('.').toString());
  }

  /** Async's reached in-flight beside its setting, and why it fell short. */
  static Optional<String> inFlight(Analysis a) {
    List<Point> async = a.points().stream().filter(p -> p.config().mode().equals("async")).toList();
    if (async.isEmpty()) {
      return Optional.empty();
    }
    long n = async.stream().mapToLong(Point::items).max().orElse(0);
    List<String> parts = new ArrayList<>();
    for (Point p : async.stream().filter(p -> p.items() == n).toList()) {
      int workers = p.config().parallelism();
      String why = p.peakInFlightPerWorker() >= p.config().inFlight() ? "its setting, reached"
          : String.format(Locale.ROOT, "short of it: %,d %s over %d workers in groups leave each worker about %d at hand at once",
              n, unit(p.config().workload()), workers, Math.max(1, n / (2L * workers)));
      parts.add(String.format(Locale.ROOT, "%d of %d with %d workers (%s)", p.peakInFlightPerWorker(), p.config().inFlight(), workers, why));
    }
    return Optional.of(String.format(Locale.ROOT, "async at %,d %s kept at most %s requests in flight per worker; more %s per run fill the setting.",
        n, unit(async.get(0).config().workload()), String.join(", ", parts), unit(async.get(0).config().workload())));
  }

  static String times(Interval i) {
    if (i == null || !Double.isFinite(i.value())) {
      return "unmeasurable at these sizes";
    }
    return String.format(Locale.ROOT, "%.2fx (%.2f-%s)", i.value(), i.low(), Double.isFinite(i.high()) ? String.format(Locale.ROOT, "%.2f", i.high()) : "unbounded");
  }

  private static String rate(Interval i) {
    return Double.isInfinite(i.value()) ? "unbounded" : String.format(Locale.ROOT, "%.1f", i.value());
  }

  /** A size as a reader says it: two significant figures. */
  static String round(double n) {
    if (n < 100) {
      return String.format(Locale.ROOT, "%d", Math.round(n));
    }
    double scale = Math.pow(10, Math.floor(Math.log10(n)) - 1);
    return String.format(Locale.ROOT, "%,d", Math.round(Math.round(n / scale) * scale));
  }
}
