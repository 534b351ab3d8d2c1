package dev.speedup.jobs.fetch;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import dev.speedup.jobs.cli.ModeOptions;
import dev.speedup.jobs.cli.OutcomeOptions;

/** Flags of {@code fetch}; Beam's runner flags come on top. */
public interface FetchOptions extends ModeOptions, OutcomeOptions {
  @Override
  @Description("Requests in flight per worker: 1 = one blocking request at a time; more = non-blocking async (1..10000)")
  @Default.Integer(1)
  int getMaxInFlight();

  @Description("The API endpoint. Absent: start the embedded fixture server on a free loopback port and use it."
      + " 'data.gov.sg' is the real one for --api: https://api.data.gov.sg/v1/environment/air-temperature (v1) or"
      + " https://api-open.data.gov.sg/v2/real-time/api/air-temperature (v2)")
  String getApiUrl();

  void setApiUrl(String value);

  @Description("The API version the endpoint speaks: v1 (a day in one document) or v2 (as data.gov.sg serves it"
      + " today: a day in pages, rate-limited without a key)")
  @Default.String("v1")
  String getApi();

  void setApi(String value);

  @Description("The environment variable holding the v2 API key, sent as x-api-key and never printed or written"
      + " (default DATA_GOV_SG_API_KEY, used when set; a variable named here must be set)")
  String getApiKeyEnv();

  void setApiKeyEnv(String value);

  @Description("First date to fetch, YYYY-MM-DD")
  @Default.String("2020-06-01")
  String getStartDate();

  void setStartDate(String value);

  @Description("How many consecutive dates to fetch (1..36600)")
  @Default.Integer(100)
  int getDays();

  void setDays(int value);

  @Description("Output folder: station-days.csv, failures.jsonl, summary.json (default: target/fetch)")
  // No @Default: Beam's options registry is JVM-wide and each command has its own default.
  String getOutput();

  void setOutput(String value);

  @Description("Attempts per date, the first included; retries back off exponentially with jitter (1..100)")
  @Default.Integer(5)
  int getMaxAttempts();

  void setMaxAttempts(int value);

  @Description("Limit on one attempt, e.g. 500ms, 10s, 1m or PT10S")
  @Default.String("10s")
  String getRequestTimeout();

  void setRequestTimeout(String value);

  @Description("Groups the dates are spread over before fetching, each fetched by one worker with its own requests"
      + " in flight; 0 = automatic (2 per worker, so one group's parsing overlaps another's fetching)")
  @Default.Integer(0)
  int getShards();

  void setShards(int value);

  @Description("Optional cap on request starts per second per worker (retries and pages included); 0 = none,"
      + " except against data.gov.sg's v2, where 0 paces the whole job within its published limit")
  @Default.Double(0)
  double getRateLimit();

  void setRateLimit(double value);

  @Description("Embedded fixture server only: latency of every answer, e.g. 50ms")
  @Default.String("50ms")
  String getFixtureLatency();

  void setFixtureLatency(String value);

  @Description("Embedded fixture server only: faults by date, DATE=FAULT[,DATE=FAULT...], FAULT as in serve-fixtures"
      + " (e.g. 2020-06-03=500*2,2020-06-04=reset)")
  List<String> getFixtureFaults();

  void setFixtureFaults(List<String> value);

  @Description("The longest Retry-After honoured; a longer one is cut to this, e.g. 30s or 0s (retry at once)")
  @Default.String("30s")
  String getMaxRetryAfter();

  void setMaxRetryAfter(String value);

  @Description("Ask for gzip-compressed bodies (Accept-Encoding: gzip, as browsers, requests and aiohttp do) and decode"
      + " them as they arrive: a day's document comes in about a tenth of its bytes; false asks for them as they are")
  @Default.Boolean(true)
  boolean getGzip();

  void setGzip(boolean value);

  @Description("Readings taken as possible, MIN..MAX in deg C; others (and non-finite ones) are rejected and counted"
      + " in summary.json (readingsRejected)")
  @Default.String("-40..60")
  String getValidRange();

  void setValidRange(String value);
}
