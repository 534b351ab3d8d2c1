package dev.speedup.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.transforms.http.OwnedClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where a FlinkRunner job goes: embedded ({@code [local]}) or a session cluster's REST address. Checks the
 * flags before anything starts (parallelism, staged jars) and that a cluster answers, so a job against a
 * cluster that is not running fails in seconds naming the address; reads a running job's progress.
 */
public final class FlinkTarget {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI rest;
  private final OwnedClient http;
  /** Set by {@link #close}: a stopped client's requests would wait for ever, so none is sent after. */
  private volatile boolean closed;

  private FlinkTarget(URI rest) {
    this.rest = rest;
    this.http = rest == null ? null : OwnedClient.build(() -> HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build());
  }

  public static boolean isFlink(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("FlinkRunner");
  }

  /**
   * Validates the Flink flags of {@code options} (FlinkRunner only) and, for a cluster, checks it answers.
   * Without --parallelism, uses one slot per core (Flink's {@code [local]} would otherwise run at 1).
   */
  public static FlinkTarget prepare(PipelineOptions options, List<String> flags) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (Args.valueOf(flags, "parallelism") == null) {
      flink.setParallelism(Runtime.getRuntime().availableProcessors());
    } else if (flink.getParallelism() < 1 || flink.getParallelism() > 10_000) {
      throw UsageException.badValue("parallelism", flink.getParallelism(), "1..10000");
    }
    URI rest = restAddress(flink.getFlinkMaster());
    if (rest == null) {
      return new FlinkTarget(null);
    }
    FlinkTarget target = new FlinkTarget(rest);
    try {
      target.requireRunning(flink.getFlinkMaster());
      List<String> staged = flink.getFilesToStage();
      if (staged != null) {
        for (String file : staged) {
          if (!Files.isRegularFile(Path.of(file))) {
            throw UsageException.badValue(
                "filesToStage", file, "existing jar files; the job jar is jobs/target/speedup-job.jar, built by mvn package");
          }
        }
      }
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
    return target;
  }

  /** The REST base URI of {@code master} ("host:port" or "http://host:port"), or null when embedded. */
  static URI restAddress(String master) {
    String m = master == null ? "[auto]" : master.trim();
    if (m.startsWith("[")) {
      if (m.equals("[local]") || m.equals("[auto]") || m.equals("[collection]")) {
        return null;
      }
      throw UsageException.badValue("flinkMaster", master, "[local], [auto], or a cluster's REST address HOST:PORT");
    }
    String withScheme = m.contains("://") ? m : "http://" + m;
    try {
      URI uri = URI.create(withScheme);
      if (uri.getHost() == null || uri.getPort() < 1) {
        throw new IllegalArgumentException("no host or port");
      }
      return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue("flinkMaster", master, "[local], [auto], or a cluster's REST address HOST:PORT");
    }
  }

  public boolean isCluster() {
    return rest != null;
  }

  private void requireRunning(String master) {
    String problem;
    try {
      HttpResponse<String> r = get("/config");
      if (r.statusCode() == 200 && r.body().contains("flink-version")) {
        return;
      }
      problem = "HTTP " + r.statusCode() + " from /config, not a Flink REST API";
    } catch (ConnectException e) {
      problem = "connection refused";
    } catch (HttpTimeoutException e) {
      problem = "no answer within " + PROBE_TIMEOUT.toSeconds() + " s";
    } catch (IOException e) {
      problem = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    }
    throw new RunnerUnavailableException(
        "no Flink cluster answers at " + master + " (" + rest + ": " + problem + "). Start the local one with "
            + "run-configs/flink-cluster/start, or point --flinkMaster=HOST:PORT at a running Flink 1.19 cluster's REST address.");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(rest.resolve(path)).timeout(PROBE_TIMEOUT).GET().build();
    return http.client().send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The run is over: the REST client is stopped, as its selector thread would otherwise hold up the JVM's
   * exit by about 0.3 s ({@link OwnedClient}). {@link #progress} answers empty after this.
   */
  public void close() {
    closed = true;
    if (http != null) {
      http.stop();
    }
  }

  /**
   * Progress of the job named {@code jobName} from the cluster's REST API ({@code /jobs/overview}):
   * its state and finished of all tasks; empty when embedded or when the API does not answer.
   */
  public Optional<String> progress(String jobName) {
    if (rest == null || closed) {
      return Optional.empty();
    }
    try {
      JsonNode jobs = JSON.readTree(get("/jobs/overview").body()).path("jobs");
      for (JsonNode job : jobs) {
        if (job.path("name").asText().equals(jobName) && !job.path("state").asText().equals("FINISHED")) {
          JsonNode tasks = job.path("tasks");
          return Optional.of(String.format(Locale.ROOT, "cluster job %s: %d/%d tasks finished",
              job.path("state").asText().toLowerCase(Locale.ROOT), tasks.path("finished").asInt(), tasks.path("total").asInt()));
        }
      }
      return Optional.of("cluster job: submitting");
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** A runner's cluster cannot be reached: an environment problem, not a bad flag. Exit code 1. */
  public static final class RunnerUnavailableException extends RuntimeException {
    public RunnerUnavailableException(String message) {
      super(message);
    }
  }
}
