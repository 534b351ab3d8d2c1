package dev.speedup.transforms.airtemp;

import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.http.BodyParser;
import dev.speedup.transforms.http.FetchedResponse;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One response's document into its station-days, with the counters {@link AirTemperature} documents. The
 * same code whether it runs where the body arrives ({@link AirTemperature#dailyStats()}) or as a step of
 * its own ({@link AirTemperature#parse()}). Stateless, so safe on many threads at once.
 */
final class DocumentParser implements BodyParser<StationDay> {
  private final ValidRange range;

  DocumentParser(ValidRange range) {
    this.range = range;
  }

  @Override
  public Parsed<StationDay> parse(FetchedResponse response) {
    Map<String, Long> counts = new HashMap<>();
    counts.put("documents", 1L);
    Optional<LocalDate> date = AirTemperature.dateOf(response.uri());
    String input = date.map(LocalDate::toString).orElse(response.uri().toString());
    if (date.isEmpty()) {
      return failed(counts, Failure.of(input, "parse", FailureKind.INVALID_URI, response.status(), response.attempts(),
          "the request URI carries no valid date=YYYY-MM-DD"));
    }
    try {
      AirTemperatureParser.Parsed parsed = AirTemperatureParser.parse(response.body(), date.get(), range);
      counts.put("days_with_readings", 1L);
      counts.put("station_days", (long) parsed.rows().size());
      parsed.rejected().forEach((why, n) -> {
        counts.merge("readings_rejected", n, Long::sum);
        counts.put("readings_rejected_" + why.name(), n);
      });
      return Parsed.of(parsed.rows(), counts);
    } catch (AirTemperatureParser.ParseFailure e) {
      return failed(counts, Failure.of(input, "parse", e.kind(), response.status(), response.attempts(), e.getMessage()));
    }
  }

  private static Parsed<StationDay> failed(Map<String, Long> counts, Failure failure) {
    counts.put("failures_" + failure.kind().name(), 1L);
    return Parsed.failed(failure, counts);
  }

  @Override
  public Class<?> metricsNamespace() {
    return AirTemperature.class;
  }
}
