package dev.speedup.jobs.images;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.values.KV;

/** The listed files dealt into buckets, the units the workers take. */
final class Buckets {
  private Buckets() {}

  /**
   * Each file keyed by its bucket: largest first, each into the bucket with the fewest bytes so far (so
   * bucket totals differ by at most about one file). Deterministic: ties go to the lower bucket. Decoding
   * costs about in proportion to file size, so buckets of equal bytes keep the workers equally busy.
   */
  static List<KV<Integer, MatchResult.Metadata>> bySize(List<MatchResult.Metadata> files, int buckets) {
    int n = Math.max(1, buckets);
    Integer[] order = new Integer[files.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingLong((Integer i) -> -files.get(i).sizeBytes()).thenComparing(i -> i));
    long[] load = new long[n];
    int[] bucketOf = new int[files.size()];
    for (int i : order) {
      int lightest = 0;
      for (int b = 1; b < n; b++) {
        if (load[b] < load[lightest]) {
          lightest = b;
        }
      }
      bucketOf[i] = lightest;
      load[lightest] += Math.max(1, files.get(i).sizeBytes());
    }
    List<KV<Integer, MatchResult.Metadata>> keyed = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      keyed.add(KV.of(bucketOf[i], files.get(i)));
    }
    return keyed;
  }
}
