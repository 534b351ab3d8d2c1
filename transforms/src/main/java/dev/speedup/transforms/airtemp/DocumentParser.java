package dev.speedup.transforms.airtemp;

import dev.speedup.transforms.Failure;
import dev.speedup.transforms.FailureKind;
import dev.speedup.transforms.http.FetchedResponse;
import dev.speedup.transforms.http.StreamingBodyParser;
import java.net.URI;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One response's v1 document into its station-days, with the counters {@link AirTemperature} documents,
 * read as the body arrives ({@link DocumentStream}). The same code whether it runs where the body arrives
 * ({@link AirTemperature#dailyStats()}) or as a step of its own ({@link AirTemperature#parse()}). Stateless
 * (each session has its own state), so safe on many threads at once.
 */
final class DocumentParser implements StreamingBodyParser<StationDay> {
  private final ValidRange range;

  DocumentParser(ValidRange range) {
    this.range = range;
  }

  @Override
  public Session<StationDay> open(URI uri) {
    Optional<LocalDate> date = AirTemperature.dateOf(uri);
    return new DaySession(date.orElse(null), date.map(d -> new DocumentStream(d, range)).orElse(null), WHOLE_DAY);
  }

  /** A document that is the whole day: its rows. */
  static final Outcome WHOLE_DAY = (stream, response, counts) -> DayOutcomes.rows(stream.finish(), counts);

  /** What a document that was read whole gives: the day's rows, or (v2) a next page. */
  interface Outcome {
    StreamingBodyParser.Parsed<StationDay> of(DocumentStream stream, FetchedResponse response, Map<String, Long> counts)
        throws AirTemperatureParser.ParseFailure;
  }

  /** One attempt's body, for a date (null: the URI carries none); a document found unreadable is not read further. */
  static final class DaySession implements Session<StationDay> {
    private final @Nullable LocalDate date;
    private final @Nullable DocumentStream stream;
    private final Outcome outcome;
    private AirTemperatureParser.@Nullable ParseFailure failure;

    DaySession(@Nullable LocalDate date, @Nullable DocumentStream stream, Outcome outcome) {
      this.date = date;
      this.stream = stream;
      this.outcome = outcome;
    }

    @Override
    public void feed(byte[] bytes, int off, int len) {
      if (stream == null || failure != null) {
        return;
      }
      try {
        stream.feed(bytes, off, len);
      } catch (AirTemperatureParser.ParseFailure e) {
        failure = e;
      }
    }

    @Override
    public boolean wantsMore() {
      return stream != null && failure == null;
    }

    @Override
    public Parsed<StationDay> finish(FetchedResponse response) {
      Map<String, Long> counts = DayOutcomes.counts();
      if (date == null || stream == null) {
        return DayOutcomes.failed(counts, Failure.of(response.uri().toString(), "parse", FailureKind.INVALID_URI, response.status(), response.attempts(),
            "the request URI carries no valid date=YYYY-MM-DD"));
      }
      try {
        if (failure != null) {
          throw failure;
        }
        return outcome.of(stream, response, counts);
      } catch (AirTemperatureParser.ParseFailure e) {
        return DayOutcomes.failed(counts, Failure.of(date.toString(), "parse", e.kind(), response.status(), response.attempts(), e.getMessage()));
      }
    }
  }

  @Override
  public Class<?> metricsNamespace() {
    return AirTemperature.class;
  }
}
