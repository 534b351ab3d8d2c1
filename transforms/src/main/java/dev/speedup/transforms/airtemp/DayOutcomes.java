package dev.speedup.transforms.airtemp;

import dev.speedup.transforms.Failure;
import dev.speedup.transforms.http.BodyParser;
import java.util.HashMap;
import java.util.Map;

/** A response's outcome as either API version's parser gives it, with the counters {@link AirTemperature} documents. */
final class DayOutcomes {
  private DayOutcomes() {}

  /** The counts every response starts with. */
  static Map<String, Long> counts() {
    Map<String, Long> counts = new HashMap<>();
    counts.put("documents", 1L);
    return counts;
  }

  /** A day read: its rows, and what was rejected on the way, counted. */
  static BodyParser.Parsed<StationDay> rows(AirTemperatureParser.Parsed parsed, Map<String, Long> counts) {
    counts.put("days_with_readings", 1L);
    counts.put("station_days", (long) parsed.rows().size());
    parsed.rejected().forEach((why, n) -> {
      counts.merge("readings_rejected", n, Long::sum);
      counts.put("readings_rejected_" + why.name(), n);
    });
    return BodyParser.Parsed.of(parsed.rows(), counts);
  }

  /** A response that yields no rows, counted by its kind. */
  static BodyParser.Parsed<StationDay> failed(Map<String, Long> counts, Failure failure) {
    counts.put("failures_" + failure.kind().name(), 1L);
    return BodyParser.Parsed.failed(failure, counts);
  }
}
