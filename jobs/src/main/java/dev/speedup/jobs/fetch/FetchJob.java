package dev.speedup.jobs.fetch;

import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.jobs.cli.Args;
import dev.speedup.jobs.cli.ExitCode;
import dev.speedup.jobs.cli.Help;
import dev.speedup.jobs.cli.PipelineRun;
import dev.speedup.jobs.output.Accounting;
import dev.speedup.jobs.output.JobMetrics;
import dev.speedup.jobs.output.OutputLock;
import dev.speedup.jobs.output.RunSummary;
import dev.speedup.jobs.output.Json;
import dev.speedup.jobs.output.SortedTextFile;
import dev.speedup.transforms.CreateAsOneBundle;
import dev.speedup.transforms.Durations;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.airtemp.AirTemperature;
import dev.speedup.transforms.airtemp.LocalDateCoder;
import dev.speedup.transforms.airtemp.StationDay;
import dev.speedup.transforms.http.HttpFetch;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code fetch}: the network-I/O workload. For each of N dates, GET the air-temperature API (with
 * retries), aggregate each station's day, and write {@code station-days.csv}, {@code failures.jsonl}
 * and {@code summary.json}. The same transforms run under every mode; the flags pick the runner.
 */
public final class FetchJob {
  public static final String STATION_DAYS = "station-days.csv";
  public static final String FAILURES = "failures.jsonl";
  public static final String SUMMARY = "summary.json";

  private FetchJob() {}

  /** The share of data.gov.sg's published v2 limit paced at by default, leaving room for clock skew. */
  private static final double SHARE_OF_PUBLISHED_LIMIT = 0.8;

  public static String help() {
    return Help.of(
        "fetch",
        "Fetches the air-temperature API for --days dates from --startDate, with retries, and writes per-station\n"
            + "daily min/mean/max. Without --apiUrl it starts the embedded stand-in (no network needed).",
        FetchOptions.class,
        "Beam runner flags apply too, e.g. --runner=DirectRunner --targetParallelism=8.\n"
            + "Modes: @run-configs/sequential.args, @run-configs/threads.args, @run-configs/async.args,\n"
            + "@run-configs/flink-local.args (Flink embedded), @run-configs/flink-cluster.args (a Flink cluster's\n"
            + "REST address; start the local one with run-configs/flink-cluster/start). A flag after the file\n"
            + "overrides the file's value, e.g. --parallelism=4 or --flinkMaster=HOST:PORT.\n"
            + "Without a mode file or --runner, fetch runs the DirectRunner at its own default parallelism (the larger of the cores and\n"
            + "3 threads), one blocking request per worker: threads mode with fewer threads.\n\n"
            + ExitCode.HELP);
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    List<String> flags = Args.lastWins(Args.expand(args));
    FetchOptions options = Args.parse(flags, FetchOptions.class, "fetch");
    FetchSettings s = FetchSettings.of(options, System::getenv);
    PipelineRun.Plan plan = PipelineRun.prepare(options, flags);
    // One run at a time in the folder, marked INCOMPLETE until it finishes (as images does).
    try (OutputLock lock = OutputLock.take(s.output(), "output", "fetch")) {
      int status = runLocked(s, options, plan, out, err);
      if (status == ExitCode.OK || status == ExitCode.SOME_FAILED) {
        lock.finished(); // every date is accounted for, whatever failed
      }
      return status;
    }
  }

  private static int runLocked(FetchSettings s, FetchOptions options, PipelineRun.Plan plan, PrintStream out, PrintStream err)
      throws IOException {
    int workers = plan.workers();
    AirTemperatureServer embedded = null;
    URI endpoint = s.apiUrl();
    if (endpoint == null) {
      AirTemperatureServer.Builder server = AirTemperatureServer.builder().latency(s.fixtureLatency()).lifetime(null);
      s.fixtureFaults().forEach(server::fault);
      if (s.apiKey() != null) {
        server.apiKey(s.apiKey().value());
      }
      embedded = server.start();
      endpoint = s.api() == AirTemperature.Api.V2 ? embedded.v2Endpoint() : embedded.endpoint();
      err.println("fetch: started the embedded fixture server at " + endpoint + " (latency " + Durations.format(s.fixtureLatency()) + ")");
    }
    try {
      Pipeline pipeline = Pipeline.create(options);
      // A plain list: HttpFetch's shards gather each worker's dates into one bundle whatever the input's
      // bundles (SpreadInGroups). Through a Reshuffle, the DirectRunner's bundles of a handful capped a
      // worker allowed 64 requests at 18-35 in flight (400 dates at 500 ms latency: 16.7 s against 8.2 s).
      List<LocalDate> dates = new ArrayList<>(s.days());
      for (int i = 0; i < s.days(); i++) {
        dates.add(s.startDate().plusDays(i));
      }
      HttpFetch.Get fetch = s.shards() > 0 ? s.fetch() : s.fetch().withShards(plan.spreadKeys(2));
      if (s.api() == AirTemperature.Api.V2 && s.api().isDataGovSg(endpoint) && !s.rateLimitSet()) {
        double published = publishedV2Rate(s.apiKey() != null);
        double perWorker = published * SHARE_OF_PUBLISHED_LIMIT / workers;
        fetch = fetch.withRateLimit(perWorker);
        err.printf(Locale.ROOT, "fetch: data.gov.sg's v2 allows %.0f calls per 10 s %s; pacing at %.2f requests/s per worker over %d"
                + " worker(s) (--rateLimit to change)%n",
            published * 10, s.apiKey() != null ? "with a development key" : "without a key", perWorker, workers);
      }
      AirTemperature.DailyStats stats =
          AirTemperature.dailyStats().withApi(s.api()).withEndpoint(endpoint).withFetch(fetch).withValidRange(s.validRange());
      if (s.apiKey() != null) {
        stats = stats.withApiKey(s.apiKey().value());
      }
      WithFailures.Result<PCollection<StationDay>, Failure> result =
          pipeline.apply("Dates", CreateAsOneBundle.of(dates, LocalDateCoder.of())).apply("DailyStats", stats);
      String dir = s.output().toAbsolutePath().toString();
      result
          .output()
          .apply("WriteStationDays", SortedTextFile.to(dir + "/" + STATION_DAYS, StationDayCsv.HEADER, StationDayCsv::line));
      result
          .failures()
          .apply("WriteFailures", SortedTextFile.to(dir + "/" + FAILURES, null, Json::failureLine));

      String label = String.format(Locale.ROOT, "fetch [%s, %d x %d in flight]", options.getRunner().getSimpleName(), workers, s.maxInFlight());
      long before = HttpFetch.urisFinishedInThisJvm();
      PipelineRun.Outcome run =
          PipelineRun.run(
              pipeline,
              plan,
              m -> {
                // Per date where the workers share this JVM; committed bundles' counters otherwise (a cluster).
                long local = HttpFetch.urisFinishedInThisJvm() - before;
                long committed = m.counter(HttpFetch.class.getName(), "responses") + m.sumWithPrefix(HttpFetch.class.getName(), "failures_");
                long done = Math.max(local, committed);
                return String.format(Locale.ROOT, "%d/%d dates (%.0f%%)", done, s.days(), 100.0 * done / s.days());
              },
              label,
              err);
      if (!run.completed("fetch", s.output(), err)) {
        return ExitCode.JOB_FAILED;
      }
      return summarize(s, endpoint, run, options.getRunner().getSimpleName(), out, err);
    } finally {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** data.gov.sg's published v2 real-time limit, calls per second: 6 per 10 s without a key, 12 with a development key. */
  static double publishedV2Rate(boolean keyed) {
    return (keyed ? 12 : 6) / 10.0;
  }

  private static int summarize(
      FetchSettings s, URI endpoint, PipelineRun.Outcome run, String runner, PrintStream out, PrintStream err) throws IOException {
    JobMetrics m = run.metrics();
    String http = HttpFetch.class.getName();
    long succeeded = m.counter(AirTemperature.class.getName(), "days_with_readings");
    long failed = m.counter("output", "lines_" + FAILURES);
    long rows = m.counter("output", "lines_" + STATION_DAYS);
    Map<String, Long> byKind = new LinkedHashMap<>();
    m.countersWithPrefix(http, "failures_").forEach((k, v) -> byKind.merge(k, v, Long::sum));
    m.countersWithPrefix(AirTemperature.class.getName(), "failures_").forEach((k, v) -> byKind.merge(k, v, Long::sum));
    long[] inFlight = m.distribution(http, "in_flight");
    Accounting accounting = new Accounting("fetch", s.days(), succeeded, failed, byKind);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rows", rows);
    details.put("readingsRejected", m.counter(AirTemperature.class.getName(), "readings_rejected"));
    details.put("readingsRejectedByReason", m.countersWithPrefix(AirTemperature.class.getName(), "readings_rejected_"));
    details.put("validRange", s.validRange().toString());
    details.put("requests", m.counter(http, "requests"));
    details.put("retries", m.counter(http, "retries"));
    details.put("bytes", m.counter(http, "bytes"));
    details.put("maxInFlight", s.maxInFlight());
    details.put("maxAttempts", s.maxAttempts());
    details.put("requestTimeout", Durations.format(s.requestTimeout()));
    details.put("gzip", s.fetch().gzip());
    details.put("apiUrl", endpoint.toString());
    details.put("api", s.api().name().toLowerCase(Locale.ROOT));
    details.put("apiKey", s.apiKey() == null ? "none" : s.apiKey().toString());
    details.put("pages", m.counter(http, "pages"));
    details.put("startDate", s.startDate().toString());
    details.put("days", s.days());
    details.put("maxFailures", s.maxFailures().toString());
    RunSummary.of(accounting, accounting.reconciled(), run, inFlight == null ? 0L : inFlight[1], details).write(s.output().resolve(SUMMARY));

    out.printf(
        Locale.ROOT,
        "Fetched %d dates from %s in %.2f s wall (%.2f s pipeline, %.2f s start-up) on %s with %d worker(s) x %d in"
            + " flight: %d succeeded, %d failed%s; %d station-days in %s, failures in %s, summary in %s;"
            + " %d requests (%d retries), %.1f MB.%n",
        s.days(), endpoint, run.wallSeconds(), run.pipelineSeconds(), run.startupSeconds(), runner, run.workers(),
        s.maxInFlight(), succeeded, failed, accounting.kindsInBrackets(), rows, s.output().resolve(STATION_DAYS), s.output().resolve(FAILURES),
        s.output().resolve(SUMMARY), m.counter(http, "requests"), m.counter(http, "retries"),
        m.counter(http, "bytes") / 1e6);
    if (!accounting.reconciled()) {
      err.println(accounting.mismatch());
      return ExitCode.JOB_FAILED;
    }
    int code = s.maxFailures().exitCode(failed, s.days());
    if (code != ExitCode.OK) {
      err.printf(Locale.ROOT, "fetch: %d of %d dates failed, more than --maxFailures=%s allows (exit %d; see %s)%n",
          failed, s.days(), s.maxFailures(), code, s.output().resolve(FAILURES));
    }
    return code;
  }

}
