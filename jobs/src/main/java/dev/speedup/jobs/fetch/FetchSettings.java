package dev.speedup.jobs.fetch;

import dev.speedup.fixtures.Fault;
import dev.speedup.jobs.cli.Args;
import dev.speedup.jobs.cli.MaxFailures;
import dev.speedup.jobs.cli.UsageException;
import dev.speedup.jobs.fixtures.FixtureFlags;
import dev.speedup.transforms.airtemp.AirTemperature;
import dev.speedup.transforms.airtemp.ValidRange;
import dev.speedup.transforms.http.HttpFetch;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The validated settings of one {@code fetch} run, from its options and the environment: the transform
 * checks its own settings ({@link HttpFetch}, {@link AirTemperature}), and {@link #of} turns what it refuses
 * into a usage error naming the flag.
 */
record FetchSettings(
    LocalDate startDate,
    int days,
    Path output,
    int maxInFlight,
    int maxAttempts,
    Duration requestTimeout,
    int shards,
    HttpFetch.Get fetch,
    ValidRange validRange,
    URI apiUrl,
    Duration fixtureLatency,
    Map<LocalDate, Fault> fixtureFaults,
    MaxFailures maxFailures,
    AirTemperature.Api api,
    @Nullable ApiKey apiKey,
    boolean rateLimitSet) {

  /** The v2 key and the variable it came from; only the variable's name is ever shown. */
  record ApiKey(String value, String variable) {
    @Override
    public String toString() {
      return "set (from $" + variable + ")";
    }
  }

  /** Where the key is looked for unless --apiKeyEnv names another variable. */
  static final String DEFAULT_API_KEY_ENV = "DATA_GOV_SG_API_KEY";

  /** The settings of {@code o}, the v2 key read through {@code env}; an invalid one throws a {@link UsageException}. */
  static FetchSettings of(FetchOptions o, UnaryOperator<String> env) {
    LocalDate start;
    try {
      start = LocalDate.parse(o.getStartDate());
    } catch (DateTimeParseException e) {
      throw UsageException.badValue("startDate", o.getStartDate(), "a date as YYYY-MM-DD");
    }
    if (o.getDays() < 1 || o.getDays() > 36_600) {
      throw UsageException.badValue("days", o.getDays(), "1..36600");
    }
    Duration timeout = Args.duration("requestTimeout", o.getRequestTimeout());
    Duration maxRetryAfter = Args.duration("maxRetryAfter", o.getMaxRetryAfter());
    // The transform validates its own settings; here an invalid one becomes a usage error naming the flag.
    HttpFetch.Get fetch = UsageException.fromSetting("maxInFlight", o.getMaxInFlight(), () -> HttpFetch.get().withMaxInFlight(o.getMaxInFlight()));
    fetch = UsageException.fromSetting("maxAttempts", o.getMaxAttempts(), fetch::withMaxAttempts, o.getMaxAttempts());
    fetch = UsageException.fromSetting("requestTimeout", o.getRequestTimeout(), fetch::withTimeout, timeout);
    fetch = UsageException.fromSetting("maxRetryAfter", o.getMaxRetryAfter(), fetch::withMaxRetryAfter, maxRetryAfter);
    fetch = UsageException.fromSetting("shards", o.getShards(), fetch::withShards, o.getShards());
    fetch = fetch.withGzip(o.getGzip());
    if (o.getRateLimit() != 0) {
      fetch = UsageException.fromSetting("rateLimit", o.getRateLimit(), fetch::withRateLimit, o.getRateLimit());
    }
    ValidRange validRange = UsageException.fromSetting("validRange", o.getValidRange(), ValidRange::parse, o.getValidRange());
    AirTemperature.Api version = UsageException.fromSetting("api", o.getApi(), AirTemperature.Api::parse, o.getApi());
    URI api = null;
    if (o.getApiUrl() != null && o.getApiUrl().trim().equalsIgnoreCase("data.gov.sg")) {
      api = version.dataGovSg();
    } else if (o.getApiUrl() != null && !o.getApiUrl().isBlank()) {
      try {
        api = URI.create(o.getApiUrl().trim());
      } catch (IllegalArgumentException e) {
        throw UsageException.badValue("apiUrl", o.getApiUrl(), "an http or https URL");
      }
      String scheme = api.getScheme() == null ? "" : api.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || api.getHost() == null) {
        throw UsageException.badValue("apiUrl", o.getApiUrl(), "an http or https URL with a host");
      }
    }
    Duration latency = Args.duration("fixtureLatency", o.getFixtureLatency());
    Map<LocalDate, Fault> faults = FixtureFlags.faultsByDate("fixtureFaults", o.getFixtureFaults());
    String output = o.getOutput() == null ? "target/fetch" : o.getOutput();
    if (output.isBlank()) {
      throw UsageException.badValue("output", output, "a folder path");
    }
    Path outputPath = UsageException.path("output", output);
    if (Files.exists(outputPath) && !Files.isDirectory(outputPath)) {
      throw UsageException.badValue("output", output, "a folder, new or existing; this is a file");
    }
    return new FetchSettings(
        start, o.getDays(), outputPath, o.getMaxInFlight(), o.getMaxAttempts(), timeout,
        o.getShards(), fetch, validRange, api, latency, faults, MaxFailures.parse("maxFailures", o.getMaxFailures()),
        version, apiKey(o.getApiKeyEnv(), version, env), o.getRateLimit() != 0);
  }

  /**
   * The v2 key from the environment: from --apiKeyEnv's variable, which must then be set, or from
   * {@value #DEFAULT_API_KEY_ENV} when that is set. v1 takes no key.
   */
  private static @Nullable ApiKey apiKey(@Nullable String named, AirTemperature.Api api, UnaryOperator<String> env) {
    String variable = named == null ? DEFAULT_API_KEY_ENV : named.trim();
    if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw UsageException.badValue("apiKeyEnv", named, "the name of an environment variable, e.g. " + DEFAULT_API_KEY_ENV);
    }
    if (named != null && api != AirTemperature.Api.V2) {
      throw UsageException.badValue("apiKeyEnv", named, "used with --api=v2 only (v1 takes no key)");
    }
    String value = api == AirTemperature.Api.V2 ? env.apply(variable) : null;
    if (value == null || value.isEmpty()) {
      if (named != null) {
        throw UsageException.badValue("apiKeyEnv", named, "an environment variable that is set; " + variable + " is not");
      }
      return null;
    }
    // Validated by the transform; the message names the variable, never the key.
    UsageException.fromSetting("apiKeyEnv", variable, () -> AirTemperature.dailyStats().withApiKey(value));
    return new ApiKey(value, variable);
  }
}
