package dev.speedup.jobs.compare;

import dev.speedup.jobs.compare.Run.Config;
import dev.speedup.jobs.compare.Run.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the runs of a comparison add up to: per configuration the medians and spread, speedup and
 * efficiency against sequential, the Karp-Flatt serial fraction; per workload and mode the Amdahl fit;
 * and findings in plain words, each computed from these numbers.
 */
public final class Analysis {
  /** One configuration's runs, summarised. Speedups are against the workload's sequential median wall time. */
  public record Point(
      Config config,
      int runs,
      int wrongRuns,
      double medianWall,
      double wallRange,
      double medianPipeline,
      double medianStartup,
      double medianCpu,
      double maxRssMB,
      double itemsPerSecond,
      long items,
      long failures,
      long peakInFlightPerWorker,
      double speedup,
      double efficiency,
      double pipelineSpeedup,
      double karpFlatt,
      double ioBoundSeconds) {}

  /** The Amdahl curve that best fits one mode's speedups: serial fraction, and the speedup it allows at most. */
  public record Fit(String workload, String mode, double serialFraction, double maxSpeedup, int points) {}

  private final List<Point> points;
  private final List<Fit> fits;
  private final List<String> findings;

  private Analysis(List<Point> points, List<Fit> fits, List<String> findings) {
    this.points = points;
    this.fits = fits;
    this.findings = findings;
  }

  public List<Point> points() {
    return points;
  }

  public List<Fit> fits() {
    return fits;
  }

  public List<String> findings() {
    return findings;
  }

  /**
   * Marks wrong every run that failed or whose output differs from the workload's first successful
   * sequential run (the reference). Runs of a workload with no successful sequential run are all wrong:
   * there is nothing to check them against.
   */
  public static List<Result> markWrong(List<Result> results) {
    Map<String, String> reference = new LinkedHashMap<>();
    for (Result r : results) {
      if (r.config().mode().equals("sequential") && r.exitCode() == 0 && r.checksum() != null) {
        reference.putIfAbsent(r.config().workload(), r.checksum());
      }
    }
    List<Result> out = new ArrayList<>();
    for (Result r : results) {
      String expected = reference.get(r.config().workload());
      boolean ok = r.exitCode() == 0 && expected != null && expected.equals(r.checksum());
      out.add(ok ? r : r.markedWrong());
    }
    return out;
  }

  /**
   * @param latencySeconds the fetch stand-in's latency, for the I/O bound
   * @param cores this machine's cores, for the findings
   */
  public static Analysis of(List<Result> results, double latencySeconds, int cores) {
    Map<Config, List<Result>> byConfig = new LinkedHashMap<>();
    for (Result r : results) {
      byConfig.computeIfAbsent(r.config(), c -> new ArrayList<>()).add(r);
    }
    Map<String, Double> sequential = new LinkedHashMap<>();
    byConfig.forEach((c, rs) -> {
      List<Result> good = rs.stream().filter(r -> !r.wrong()).toList();
      if (c.mode().equals("sequential") && !good.isEmpty()) {
        sequential.put(c.workload(), Scaling.median(good.stream().map(Result::wallSeconds).toList()));
      }
    });
    Map<String, Double> sequentialPipeline = new LinkedHashMap<>();
    List<Point> points = new ArrayList<>();
    for (Map.Entry<Config, List<Result>> e : byConfig.entrySet()) {
      Config c = e.getKey();
      List<Result> all = e.getValue();
      List<Result> good = all.stream().filter(r -> !r.wrong()).toList();
      List<Result> basis = good.isEmpty() ? all : good;
      double wall = Scaling.median(basis.stream().map(Result::wallSeconds).toList());
      double pipeline = Scaling.median(basis.stream().map(Result::pipelineSeconds).toList());
      if (c.mode().equals("sequential")) {
        sequentialPipeline.put(c.workload(), pipeline);
      }
      Double base = sequential.get(c.workload());
      double speedup = base == null || good.isEmpty() ? Double.NaN : Scaling.speedup(base, wall);
      Double basePipeline = sequentialPipeline.get(c.workload());
      double pipelineSpeedup = basePipeline == null || !(pipeline > 0) || good.isEmpty() ? Double.NaN : basePipeline / pipeline;
      long items = basis.get(0).items();
      points.add(new Point(
          c,
          all.size(),
          all.size() - good.size(),
          wall,
          Scaling.range(basis.stream().map(Result::wallSeconds).toList()),
          pipeline,
          Scaling.median(basis.stream().map(Result::startupSeconds).toList()),
          Scaling.median(basis.stream().map(Result::cpuSeconds).toList()),
          basis.stream().mapToDouble(Result::peakRssMB).max().orElse(0),
          wall > 0 ? items / wall : 0,
          items,
          basis.stream().mapToLong(Result::failures).max().orElse(0),
          basis.stream().mapToLong(Result::peakInFlightPerWorker).max().orElse(0),
          speedup,
          Double.isNaN(speedup) ? Double.NaN : Scaling.efficiency(speedup, c.parallelism()),
          pipelineSpeedup,
          Double.isNaN(speedup) ? Double.NaN : Scaling.karpFlatt(speedup, c.parallelism()),
          c.workload().equals("fetch") ? Scaling.ioBoundSeconds((int) items, latencySeconds, c.parallelism() * c.inFlight()) : Double.NaN));
    }
    List<Fit> fits = new ArrayList<>();
    Map<String, List<Point>> byMode = new LinkedHashMap<>();
    for (Point p : points) {
      if (!p.config().mode().equals("sequential") && !Double.isNaN(p.speedup())) {
        byMode.computeIfAbsent(p.config().workload() + "|" + p.config().mode(), k -> new ArrayList<>()).add(p);
      }
    }
    byMode.forEach((key, ps) -> {
      int[] par = ps.stream().mapToInt(p -> p.config().parallelism()).toArray();
      double[] sp = ps.stream().mapToDouble(Point::speedup).toArray();
      double f = Scaling.amdahlFit(par, sp);
      long used = ps.stream().filter(p -> p.config().parallelism() > 1).count();
      if (!Double.isNaN(f)) {
        String[] k = key.split("\\|");
        fits.add(new Fit(k[0], k[1], f, f > 0 ? 1 / f : Double.POSITIVE_INFINITY, (int) used));
      }
    });
    Analysis a = new Analysis(points, fits, new ArrayList<>());
    a.findings.addAll(a.describe(results, cores, latencySeconds));
    return a;
  }

  public Optional<Point> point(String workload, String mode, int p) {
    return points.stream().filter(x -> x.config().workload().equals(workload) && x.config().mode().equals(mode)
        && x.config().parallelism() == p).findFirst();
  }

  public Optional<Fit> fit(String workload, String mode) {
    return fits.stream().filter(f -> f.workload().equals(workload) && f.mode().equals(mode)).findFirst();
  }

  private List<String> describe(List<Result> results, int cores, double latency) {
    List<String> out = new ArrayList<>();
    List<String> workloads = points.stream().map(p -> p.config().workload()).distinct().toList();
    for (String w : workloads) {
      List<Point> ps = points.stream().filter(p -> p.config().workload().equals(w)).toList();
      Optional<Point> seq = ps.stream().filter(p -> p.config().mode().equals("sequential")).findFirst();
      if (seq.isEmpty() || seq.get().wrongRuns() == seq.get().runs()) {
        out.add(String.format(Locale.ROOT, "%s: no successful sequential run, so no speedups could be computed.", w));
        continue;
      }
      Point s = seq.get();
      Point best = ps.stream().filter(p -> p.wrongRuns() < p.runs()).min(Comparator.comparingDouble(Point::medianWall)).orElse(s);
      if (best == s) {
        out.add(String.format(Locale.ROOT, "%s: nothing beat sequential (%.2f s): at this size the extra workers cost more than they save.", w, s.medianWall()));
      } else {
        out.add(String.format(Locale.ROOT, "%s: fastest was %s with %d worker%s, %.2f s against sequential's %.2f s: %.2fx, efficiency %.0f%%%s.",
            w, best.config().mode(), best.config().parallelism(), best.config().parallelism() == 1 ? "" : "s",
            best.medianWall(), s.medianWall(), best.speedup(), 100 * best.efficiency(),
            best.efficiency() > 1 && best.config().inFlight() > 1
                ? " per worker thread (over 100%: each keeps " + best.config().inFlight() + " requests in flight)" : ""));
      }
      double share = s.medianStartup() / s.medianWall();
      out.add(String.format(Locale.ROOT,
          "%s: start-up (JVM and runner, before the first element) took %.2f s of sequential's %.2f s (%.0f%%). That part is serial: "
              + "however many workers, the whole run cannot get faster than %.1fx (Amdahl's law with that serial share).",
          w, s.medianStartup(), s.medianWall(), 100 * share, share > 0 ? 1 / share : Double.POSITIVE_INFINITY));
      Optional<Fit> bestFit = fit(w, best.config().mode());
      if (bestFit.isPresent() && bestFit.get().points() > 0) {
        Fit f = bestFit.get();
        out.add(String.format(Locale.ROOT, "%s on %s fits Amdahl's law with a serial fraction of %.2f (from %d point%s): at most %s on any number of workers.",
            w, f.mode(), f.serialFraction(), f.points(), f.points() == 1 ? "" : "s",
            Double.isInfinite(f.maxSpeedup()) ? "no limit" : String.format(Locale.ROOT, "%.1fx", f.maxSpeedup())));
      }
      for (String mode : List.of("threads", "flink-local", "flink-cluster", "async")) {
        List<Point> kf = ps.stream().filter(p -> p.config().mode().equals(mode) && p.config().parallelism() > 1 && !Double.isNaN(p.karpFlatt()))
            .sorted(Comparator.comparingInt(p -> p.config().parallelism())).toList();
        if (kf.size() >= 2) {
          Point lo = kf.get(0);
          Point hi = kf.get(kf.size() - 1);
          String meaning;
          if (kf.stream().allMatch(p -> p.karpFlatt() > 1)) {
            meaning = "above 1, because it was slower than sequential at every worker count: its fixed start-up cost outweighs the work, "
                + "which is overhead rather than serial work.";
          } else if (hi.karpFlatt() - lo.karpFlatt() > 0.05) {
            meaning = "overhead grows with the workers" + (hi.config().parallelism() > cores ? " (more workers than the " + cores + " cores)" : "") + ".";
          } else if (lo.karpFlatt() - hi.karpFlatt() > 0.05) {
            meaning = "it falls, so part of the cost is fixed and more workers spread it thinner.";
          } else {
            meaning = "about the same: a fixed serial part rather than growing overhead.";
          }
          out.add(String.format(Locale.ROOT, "%s on %s: the Karp-Flatt serial fraction goes from %.2f at %d workers to %.2f at %d: %s",
              w, mode, lo.karpFlatt(), lo.config().parallelism(), hi.karpFlatt(), hi.config().parallelism(), meaning));
        }
      }
      if (w.equals("fetch")) {
        for (Point a : ps.stream().filter(p -> p.config().mode().equals("async")).toList()) {
          Optional<Point> t = point(w, a.config().parallelism() == 1 ? "sequential" : "threads", a.config().parallelism());
          if (t.isPresent() && a.wrongRuns() < a.runs()) {
            out.add(String.format(Locale.ROOT,
                "fetch with %d worker%s: async (%d requests in flight each) took %.2f s against %.2f s with one blocking request each (%.1fx); "
                    + "its pipeline took %.2f s, against an I/O bound of %.2f s (%d dates x %.0f ms / %d in flight).",
                a.config().parallelism(), a.config().parallelism() == 1 ? "" : "s", a.config().inFlight(), a.medianWall(), t.get().medianWall(),
                t.get().medianWall() / a.medianWall(), a.medianPipeline(), a.ioBoundSeconds(), a.items(), latency * 1000,
                a.config().parallelism() * a.config().inFlight()));
          }
        }
      } else {
        List<Point> threads = ps.stream().filter(p -> p.config().mode().equals("threads")).sorted(Comparator.comparingInt(p -> p.config().parallelism())).toList();
        Optional<Point> atCores = threads.stream().filter(p -> p.config().parallelism() <= cores).reduce((x, y) -> y);
        Optional<Point> beyond = threads.stream().filter(p -> p.config().parallelism() > cores).reduce((x, y) -> y);
        if (atCores.isPresent() && beyond.isPresent()) {
          out.add(String.format(Locale.ROOT, "%s is CPU-bound: threads reached %.2fx with %d workers and %.2fx with %d, on %d cores; workers beyond the cores %s.",
              w, atCores.get().speedup(), atCores.get().config().parallelism(), beyond.get().speedup(), beyond.get().config().parallelism(), cores,
              beyond.get().speedup() > atCores.get().speedup() * 1.05 ? "still helped a little (waiting on files overlaps)" : "did not help"));
        }
      }
      for (String flink : List.of("flink-local", "flink-cluster")) {
        for (Point f : ps.stream().filter(p -> p.config().mode().equals(flink)).toList()) {
          Optional<Point> t = point(w, f.config().parallelism() == 1 ? "sequential" : "threads", f.config().parallelism());
          if (t.isPresent() && f.wrongRuns() < f.runs() && f.config().parallelism() == ps.stream()
              .filter(p -> p.config().mode().equals(flink)).mapToInt(p -> p.config().parallelism()).max().orElse(0)) {
            out.add(String.format(Locale.ROOT,
                "%s on %s with %d workers: start-up %.2f s against %.2f s on the DirectRunner, pipeline %.2f s against %.2f s; %s",
                w, flink, f.config().parallelism(), f.medianStartup(), t.get().medianStartup(), f.medianPipeline(), t.get().medianPipeline(),
                f.medianWall() < t.get().medianWall() ? "Flink was faster overall."
                    : "the DirectRunner was faster overall: Flink pays off on jobs long enough to repay its start-up."));
          }
        }
      }
    }
    long wrong = results.stream().filter(Result::wrong).count();
    if (wrong == 0) {
      out.add(String.format(Locale.ROOT, "All %d measured runs wrote the same output as the sequential run of their workload.", results.size()));
    } else {
      List<String> which = results.stream().filter(Result::wrong).map(r -> r.config().label() + " #" + r.repeat()).distinct().toList();
      out.add(String.format(Locale.ROOT, "WRONG OUTPUT: %d of %d runs failed or wrote output different from sequential: %s.",
          wrong, results.size(), String.join(", ", which)));
    }
    out.removeIf(Objects::isNull);
    return out;
  }
}
