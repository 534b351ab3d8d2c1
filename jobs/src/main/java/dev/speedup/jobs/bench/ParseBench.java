package dev.speedup.jobs.bench;

import dev.speedup.fixtures.AirTemperatureDocuments;
import dev.speedup.transforms.airtemp.AirTemperatureParser;
import dev.speedup.transforms.airtemp.StationDay;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark: parse and aggregate one full-day air-temperature document on one thread.
 * Prints the fastest, median and 90th percentile milliseconds per document over repeated rounds, after a
 * warm-up; on a shared machine the fastest round is the steadiest figure for comparing two builds.
 *
 * <p>Run: {@code java -cp jobs/target/speedup.jar dev.speedup.jobs.bench.ParseBench [DOCS] [ROUNDS]}
 */
public final class ParseBench {
  private ParseBench() {}

  public static void main(String[] args) throws Exception {
    int docs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    LocalDate start = LocalDate.of(2020, 6, 1);
    byte[][] documents = new byte[docs][];
    long bytes = 0;
    for (int i = 0; i < docs; i++) {
      documents[i] = AirTemperatureDocuments.fullDay(start.plusDays(i));
      bytes += documents[i].length;
    }
    long sink = 0;
    // Warm-up: let the JIT compile the parser, as it will have in any run of more than a few documents.
    for (int r = 0; r < 5; r++) {
      for (int i = 0; i < docs; i++) {
        sink += AirTemperatureParser.parse(documents[i], start.plusDays(i)).rows().size();
      }
    }
    double[] msPerDoc = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < docs; i++) {
        List<StationDay> rows = AirTemperatureParser.parse(documents[i], start.plusDays(i)).rows();
        sink += rows.size();
      }
      msPerDoc[r] = (System.nanoTime() - t0) / 1e6 / docs;
    }
    Arrays.sort(msPerDoc);
    double median = msPerDoc[rounds / 2];
    double p90 = msPerDoc[(int) Math.min(rounds - 1, Math.ceil(rounds * 0.9) - 1)];
    System.out.printf(
        Locale.ROOT,
        "parse: docs=%d avg_doc_kb=%.0f rounds=%d min_ms_per_doc=%.3f median_ms_per_doc=%.3f p90_ms_per_doc=%.3f mb_per_s=%.0f (rows %d)%n",
        docs, bytes / 1024.0 / docs, rounds, msPerDoc[0], median, p90, bytes / (double) docs / 1e6 / (median / 1000), sink);
  }
}
