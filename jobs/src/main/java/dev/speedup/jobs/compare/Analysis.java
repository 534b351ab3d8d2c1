package dev.speedup.jobs.compare;

import dev.speedup.jobs.compare.Bootstrap.Interval;
import dev.speedup.jobs.compare.Run.Config;
import dev.speedup.jobs.compare.Run.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the runs of a comparison add up to. Per configuration and size: medians with bootstrap intervals and
 * the whole-process speedup over sequential at that size. Per configuration: a {@link CostModel} fitted over
 * the sizes, its per-item rate against sequential's (the parallel scaling, free of start-up), Karp-Flatt on
 * that rate, and predictions; per workload and mode, the Amdahl fit of the per-item work; per pair of modes,
 * the size where one overtakes the other; and the model check: a run at a size no fit saw, against its
 * prediction. {@link Verdict} turns these into words.
 */
public final class Analysis {
  /** Crossovers beyond this many items are reported as "never". */
  public static final double NEVER_BELOW = 1e7;

  /** One configuration at one size, its runs summarised; speedup is whole-process against sequential at the same size. */
  public record Point(
      Config config, long items, int runs, int wrongRuns, Interval wallSeconds, double startupSeconds, double pipelineSeconds,
      double teardownSeconds, double cpuSeconds, double peakRssMB, long failures, long peakInFlightPerWorker, Interval speedup) {}

  /** A configuration's cost model, with its per-item rate against sequential's and what that implies. */
  public record Model(
      Config config, CostModel cost, Interval startupSeconds, Interval teardownSeconds, Interval itemsPerSecond,
      Interval rateSpeedup, double efficiency, double karpFlatt) {}

  public record Prediction(String workload, String mode, int workers, long items, double seconds, double low, double high) {
    Interval interval() {
      return new Interval(seconds, low, high);
    }
  }

  /**
   * Above {@code aboveItems}, {@code faster} beats {@code slower} (below it, the other way round); with
   * {@code aboveItems} null, {@code faster} is at least as fast at every size up to {@link #NEVER_BELOW}.
   */
  public record Crossover(String workload, String faster, int fasterWorkers, String slower, int slowerWorkers, Double aboveItems,
      Double low, Double high) {}

  public record ModelCheck(String workload, String mode, int workers, long items, double predictedSeconds, double low, double high,
      double measuredSeconds) {
    public double errorShare() {
      return (measuredSeconds - predictedSeconds) / measuredSeconds;
    }
  }

  /** Amdahl's law fitted to one mode's per-item speedups: the serial fraction of the work, and the most it allows. */
  public record AmdahlFit(String workload, String mode, double serialFraction, double maxWorkSpeedup, int points) {}

  private final List<Point> points;
  private final List<Model> models;
  private final List<AmdahlFit> fits;
  private final List<Prediction> predictions;
  private final List<Crossover> crossovers;
  private final List<ModelCheck> checks;
  private final Map<String, Long> predictAt;
  private final int cores;
  private final List<Result> results;

  private Analysis(List<Result> results, List<Point> points, List<Model> models, List<AmdahlFit> fits, List<Prediction> predictions,
      List<Crossover> crossovers, List<ModelCheck> checks, Map<String, Long> predictAt, int cores) {
    this.results = results;
    this.points = points;
    this.models = models;
    this.fits = fits;
    this.predictions = predictions;
    this.crossovers = crossovers;
    this.checks = checks;
    this.predictAt = predictAt;
    this.cores = cores;
  }

  public List<Result> results() {
    return results;
  }

  public List<Point> points() {
    return points;
  }

  public List<Model> models() {
    return models;
  }

  public List<AmdahlFit> fits() {
    return fits;
  }

  public List<Prediction> predictions() {
    return predictions;
  }

  public List<Crossover> crossovers() {
    return crossovers;
  }

  public List<ModelCheck> checks() {
    return checks;
  }

  public Map<String, Long> predictAt() {
    return predictAt;
  }

  public int cores() {
    return cores;
  }

  /**
   * Marks wrong every run that failed or whose output differs from the first successful sequential run of
   * the same workload and size (the reference). A fitting run with no reference is wrong (nothing to check it
   * against); a model-check run at a size sequential did not run is judged by its exit code alone.
   */
  public static List<Result> markWrong(List<Result> results) {
    Map<String, String> reference = new LinkedHashMap<>();
    for (Result r : results) {
      if (r.mode().equals("sequential") && r.exitCode() == 0 && r.checksum() != null) {
        reference.putIfAbsent(r.workload() + "@" + r.items(), r.checksum());
      }
    }
    List<Result> out = new ArrayList<>();
    for (Result r : results) {
      String expected = reference.get(r.workload() + "@" + r.items());
      boolean ok = r.exitCode() == 0 && (expected == null ? r.purpose().equals(Result.CHECK) : expected.equals(r.checksum()));
      out.add(ok ? r : r.markedWrong());
    }
    return out;
  }

  /**
   * @param predictAt per workload, the size to predict at (the verdict's size)
   * @param cores this machine's cores
   */
  public static Analysis of(List<Result> results, Map<String, Long> predictAt, int cores) {
    List<Result> fitting = results.stream().filter(r -> r.purpose().equals(Result.FIT)).toList();
    List<Point> points = points(fitting);
    List<Model> models = models(fitting);
    List<AmdahlFit> fits = amdahlFits(models);
    List<Prediction> predictions = new ArrayList<>();
    for (Model m : models) {
      Long n = predictAt.get(m.config().workload());
      if (n != null) {
        Interval t = m.cost().predictSeconds(n);
        predictions.add(new Prediction(m.config().workload(), m.config().mode(), m.config().parallelism(), n, t.value(), t.low(), t.high()));
      }
    }
    List<ModelCheck> checks = new ArrayList<>();
    for (Result r : results) {
      if (r.purpose().equals(Result.CHECK) && !r.wrong()) {
        models.stream().filter(m -> m.config().equals(r.config())).findFirst().ifPresent(m -> {
          Interval t = m.cost().predictSeconds(r.items());
          checks.add(new ModelCheck(r.workload(), r.mode(), r.parallelism(), r.items(), t.value(), t.low(), t.high(), r.wallSeconds()));
        });
      }
    }
    return new Analysis(results, points, models, fits, predictions, Crossovers.of(models), checks, predictAt, cores);
  }

  private static List<Point> points(List<Result> fitting) {
    Map<String, List<Result>> byKey = new LinkedHashMap<>();
    for (Result r : fitting) {
      byKey.computeIfAbsent(r.config().label() + "@" + r.items(), k -> new ArrayList<>()).add(r);
    }
    List<Point> points = new ArrayList<>();
    for (List<Result> all : byKey.values()) {
      Result first = all.get(0);
      List<Result> good = all.stream().filter(r -> !r.wrong()).toList();
      List<Result> basis = good.isEmpty() ? all : good;
      List<Result> sequential = fitting.stream().filter(r -> r.workload().equals(first.workload()) && r.mode().equals("sequential")
          && r.items() == first.items() && !r.wrong()).toList();
      Interval speedup = sequential.isEmpty() || good.isEmpty() ? null
          : Bootstrap.ratioOfMedians(walls(sequential), walls(good));
      points.add(new Point(first.config(), first.items(), all.size(), all.size() - good.size(), Bootstrap.median(walls(basis)),
          median(basis, Result::startupSeconds), median(basis, Result::pipelineSeconds), median(basis, Result::teardownSeconds),
          median(basis, Result::cpuSeconds), basis.stream().mapToDouble(Result::peakRssMB).max().orElse(0),
          basis.stream().mapToLong(Result::failures).max().orElse(0),
          basis.stream().mapToLong(Result::peakInFlightPerWorker).max().orElse(0), speedup));
    }
    return points;
  }

  private static List<Model> models(List<Result> fitting) {
    Map<Config, List<Result>> byConfig = new LinkedHashMap<>();
    for (Result r : fitting) {
      if (!r.wrong()) {
        byConfig.computeIfAbsent(r.config(), c -> new ArrayList<>()).add(r);
      }
    }
    Map<Config, CostModel> costs = new LinkedHashMap<>();
    byConfig.forEach((c, rs) -> {
      if (rs.stream().map(Result::items).distinct().count() >= 2) {
        List<CostModel.Sample> samples = rs.stream().map(r -> new CostModel.Sample(r.items(), r.wallSeconds(), r.startupSeconds(), r.pipelineSeconds())).toList();
        costs.put(c, CostModel.fit(samples, Bootstrap.SEED ^ c.label().hashCode()));
      }
    });
    List<Model> models = new ArrayList<>();
    costs.forEach((c, cost) -> {
      CostModel seq = costs.entrySet().stream().filter(e -> e.getKey().workload().equals(c.workload()) && e.getKey().mode().equals("sequential"))
          .map(Map.Entry::getValue).findFirst().orElse(null);
      Interval rateSpeedup = seq == null ? null : cost.rateRatio(seq);
      double s = rateSpeedup == null ? Double.NaN : rateSpeedup.value();
      models.add(new Model(c, cost, cost.startupSeconds(), cost.teardownSeconds(), cost.itemsPerSecond(), rateSpeedup,
          Scaling.efficiency(s, c.parallelism()), Double.isFinite(s) ? Scaling.karpFlatt(s, c.parallelism()) : Double.NaN));
    });
    return models;
  }

  private static List<AmdahlFit> amdahlFits(List<Model> models) {
    Map<String, List<Model>> byMode = new LinkedHashMap<>();
    for (Model m : models) {
      if (!m.config().mode().equals("sequential") && m.rateSpeedup() != null && Double.isFinite(m.rateSpeedup().value())) {
        byMode.computeIfAbsent(m.config().workload() + "|" + m.config().mode(), k -> new ArrayList<>()).add(m);
      }
    }
    List<AmdahlFit> fits = new ArrayList<>();
    byMode.forEach((key, ms) -> {
      int[] p = ms.stream().mapToInt(m -> m.config().parallelism()).toArray();
      double[] s = ms.stream().mapToDouble(m -> m.rateSpeedup().value()).toArray();
      double f = Scaling.amdahlFit(p, s);
      if (!Double.isNaN(f)) {
        String[] k = key.split("\\|");
        fits.add(new AmdahlFit(k[0], k[1], f, f > 0 ? 1 / f : Double.POSITIVE_INFINITY, (int) ms.stream().filter(m -> m.config().parallelism() > 1).count()));
      }
    });
    return fits;
  }

  public Optional<Model> model(Config c) {
    return models.stream().filter(m -> m.config().equals(c)).findFirst();
  }

  public Optional<Prediction> prediction(Config c) {
    return predictions.stream().filter(p -> p.workload().equals(c.workload()) && p.mode().equals(c.mode()) && p.workers() == c.parallelism())
        .findFirst();
  }

  public Optional<AmdahlFit> fit(String workload, String mode) {
    return fits.stream().filter(f -> f.workload().equals(workload) && f.mode().equals(mode)).findFirst();
  }

  /** The points of a workload at its largest fitted size (where fixed costs weigh least). */
  public List<Point> pointsAtLargestSize(String workload) {
    long n = points.stream().filter(p -> p.config().workload().equals(workload)).mapToLong(Point::items).max().orElse(0);
    return points.stream().filter(p -> p.config().workload().equals(workload) && p.items() == n).toList();
  }

  public List<String> workloads() {
    return points.stream().map(p -> p.config().workload()).distinct().toList();
  }

  private static List<Double> walls(List<Result> rs) {
    return rs.stream().map(Result::wallSeconds).toList();
  }

  private static double median(List<Result> rs, java.util.function.ToDoubleFunction<Result> f) {
    return Bootstrap.medianOf(rs.stream().mapToDouble(f).toArray());
  }
}
