package dev.speedup.jobs.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Flink session cluster driven through the project's own scripts ({@code run-configs/flink-cluster/
 * start} and {@code stop}), on loopback ports of its own and with its own state folder, so it never meets
 * a cluster a user runs. Used by {@code compare} and by the cluster tests.
 */
public final class LocalFlinkCluster {
  /** Exit code and everything a script printed. */
  public record ScriptResult(int code, String output) {}

  private final Path scripts;
  private final Path home;
  private final int restPort;
  private final int rpcPort;

  private LocalFlinkCluster(Path scripts, Path home, int restPort, int rpcPort) {
    this.scripts = scripts;
    this.home = home;
    this.restPort = restPort;
    this.rpcPort = rpcPort;
  }

  /** A cluster (not yet started) on two free loopback ports, keeping jars, logs and PID files in {@code home}. */
  public static LocalFlinkCluster onFreePorts(Path projectRoot, Path home) throws IOException {
    return new LocalFlinkCluster(projectRoot.resolve("run-configs/flink-cluster"), home, freePort(), freePort());
  }

  public ScriptResult start(String... args) throws IOException, InterruptedException {
    return script("start", args);
  }

  public ScriptResult stop(String... args) throws IOException, InterruptedException {
    return script("stop", args);
  }

  public int restPort() {
    return restPort;
  }

  public Path home() {
    return home;
  }

  /** The PID {@code start} recorded for a process: "jobmanager", "taskmanager-1", ... */
  public long pid(String process) throws IOException {
    return Long.parseLong(Files.readString(home.resolve("run/" + process + ".pid")).trim());
  }

  private ScriptResult script(String name, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(scripts.resolve(name).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("FLINK_CLUSTER_HOME", home.toString());
    pb.environment().put("FLINK_REST_PORT", Integer.toString(restPort));
    pb.environment().put("FLINK_RPC_PORT", Integer.toString(rpcPort));
    Process p = pb.start();
    // The cluster's processes write to their own log files, so this stream ends when the script does.
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new ScriptResult(-1, output + "\n(" + name + " did not finish within 5 minutes)");
    }
    return new ScriptResult(p.exitValue(), output);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
