package dev.speedup.jobs.compare;

import dev.speedup.jobs.compare.Analysis.Crossover;
import dev.speedup.jobs.compare.Analysis.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Where one mode overtakes another, from their fitted cost models. */
final class Crossovers {
  private Crossovers() {}

  /** For each workload and pair of modes, each mode by its best-rated configuration: where one overtakes the other. */
  static List<Crossover> of(List<Model> models) {
    List<Crossover> out = new ArrayList<>();
    for (String w : models.stream().map(m -> m.config().workload()).distinct().toList()) {
      List<Model> best = bestPerMode(models, w);
      for (int i = 0; i < best.size(); i++) {
        for (int j = i + 1; j < best.size(); j++) {
          out.add(crossover(best.get(i), best.get(j)));
        }
      }
    }
    return out;
  }

  /** Each mode of a workload by its configuration with the highest per-item rate (the one that wins at scale). */
  static List<Model> bestPerMode(List<Model> models, String workload) {
    Map<String, Model> best = new LinkedHashMap<>();
    for (Model m : models) {
      if (m.config().workload().equals(workload)) {
        best.merge(m.config().mode(), m, (a, b) -> b.itemsPerSecond().value() > a.itemsPerSecond().value() ? b : a);
      }
    }
    return new ArrayList<>(best.values());
  }

  static Crossover crossover(Model x, Model y) {
    for (Model[] pair : new Model[][] {{x, y}, {y, x}}) {
      OptionalDouble n = CostModel.overtakesAbove(pair[0].cost(), pair[1].cost(), Analysis.NEVER_BELOW);
      if (n.isPresent()) {
        double[] reps = CostModel.overtakesAboveReplicates(pair[0].cost(), pair[1].cost(), Analysis.NEVER_BELOW);
        double lo = Bootstrap.percentile(reps, 0.025);
        double hi = Bootstrap.percentile(reps, 0.975);
        return new Crossover(x.config().workload(), pair[0].config().mode(), pair[0].config().parallelism(), pair[1].config().mode(),
            pair[1].config().parallelism(), n.getAsDouble(), Double.isFinite(lo) ? lo : null, Double.isFinite(hi) ? hi : null);
      }
    }
    // No crossing below the limit: one is faster throughout; which, its time at the limit tells.
    Model faster = CostModel.fasterAt(x.cost(), y.cost(), Analysis.NEVER_BELOW) ? x : y;
    Model slower = faster == x ? y : x;
    return new Crossover(x.config().workload(), faster.config().mode(), faster.config().parallelism(), slower.config().mode(),
        slower.config().parallelism(), null, null, null);
  }
}
