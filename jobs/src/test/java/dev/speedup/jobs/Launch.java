package dev.speedup.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** bin/speedup run as a user runs it, for the integration tests: on a given jar, with a given environment. */
final class Launch {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path JAR = ROOT.resolve("jobs/target/speedup.jar");

  record Result(int code, String output) {}

  private Launch() {}

  /** Runs {@code bin/speedup ARGS} on {@code jar}, without the caller's JAVA_OPTS and SPEEDUP_CDS, {@code env} added. */
  static Result launch(Path jar, Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("bin/speedup").toString()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile("launcher-it", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPEEDUP_JAR", jar.toString());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().remove("SPEEDUP_CDS");
    pb.environment().putAll(env);
    Process p = pb.start();
    try {
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("bin/speedup did not finish in 5 minutes: " + cmd);
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
