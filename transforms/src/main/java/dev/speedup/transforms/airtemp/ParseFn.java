package dev.speedup.transforms.airtemp;

import dev.speedup.transforms.Activity;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.http.BodyParser;
import dev.speedup.transforms.http.FetchedResponse;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/** {@link AirTemperature.Parse}'s step: a fetched document's rows to {@link #ROWS}, or its failure to {@link #FAILURES}. */
final class ParseFn extends DoFn<FetchedResponse, StationDay> {
  static final TupleTag<StationDay> ROWS = new TupleTag<>() {};
  static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final DocumentParser parser;
  private transient Map<String, Counter> counters;

  ParseFn(ValidRange range) {
    this.parser = new DocumentParser(range);
  }

  @Setup
  public void setup() {
    counters = new HashMap<>();
  }

  @ProcessElement
  public void process(@Element FetchedResponse response, MultiOutputReceiver out) {
    BodyParser.Parsed<StationDay> parsed = parser.parse(response);
    parsed.counts().forEach((name, n) -> counters.computeIfAbsent(name, k -> Metrics.counter(AirTemperature.class, k)).inc(n));
    if (parsed.failure() != null) {
      out.get(FAILURES).output(parsed.failure());
    } else {
      for (StationDay row : parsed.elements()) {
        out.get(ROWS).output(row);
      }
    }
    Activity.mark();
  }
}
