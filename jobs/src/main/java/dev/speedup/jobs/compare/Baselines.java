package dev.speedup.jobs.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.jobs.output.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code --baselines=python}: the talk's own methods, as this project's Python scripts (shipped in the jar),
 * run on the same inputs as the Java runs: the largest fitted size, the same stand-in and latency for fetch,
 * the same image folder. Skipped with a note naming what is missing when python3 or its packages are not there.
 */
final class Baselines {
  /** One method's run, timed around the whole python3 process. */
  record Line(String workload, String method, int workers, long items, long succeeded, long failed, double wallSeconds) {}

  private static final long LIMIT_MINUTES = 20;

  private Baselines() {}

  static List<Line> run(CompareSettings s, Sizes sizes, Path dir, List<String> notes, PrintStream err) throws IOException, InterruptedException {
    List<Line> out = new ArrayList<>();
    Files.createDirectories(dir);
    int workers = Runtime.getRuntime().availableProcessors();
    if (s.workloads().contains("fetch")) {
      java.util.Optional<String> python = interpreter("import aiohttp");
      if (python.isEmpty()) {
        notes.add("Python baselines for fetch skipped: no python3 with aiohttp (Debian: apt-get install python3-aiohttp).");
      } else {
        long days = sizes.fit("fetch").get(sizes.fit("fetch").size() - 1);
        try (AirTemperatureServer server = AirTemperatureServer.builder().latency(s.fixtureLatency()).lifetime(null).start()) {
          String url = server.endpoint().toString();
          for (String method : List.of("loop", "threads", "processes", "asyncio")) {
            int w = method.equals("loop") ? 1 : method.equals("asyncio") ? 64 : 2 * workers;
            err.printf(Locale.ROOT, "compare [baseline] python fetch %s (%d) at %d dates%n", method, w, days);
            run(python.get(), dir, "talk_fetch.py", List.of(method, url, "2020-06-01", Long.toString(days), Integer.toString(w)), notes).ifPresent(out::add);
          }
        }
      }
    }
    if (s.workloads().contains("images")) {
      java.util.Optional<String> python = interpreter("import PIL.Image");
      if (python.isEmpty()) {
        notes.add("Python baselines for images skipped: no python3 with Pillow (Debian: apt-get install python3-pil).");
      } else {
        long n = sizes.fit("images").get(sizes.fit("images").size() - 1);
        for (String method : List.of("loop", "threads", "processes")) {
          int w = method.equals("loop") ? 1 : workers;
          err.printf(Locale.ROOT, "compare [baseline] python images %s (%d) at %d images%n", method, w, n);
          run(python.get(), dir, "talk_resize.py", List.of(method, sizes.images(n).toString(), Integer.toString(w)), notes).ifPresent(out::add);
        }
      }
    }
    return out;
  }

  /**
   * The talk's lesson as measured: for the CPU-bound images, Python's threads against its loop (the GIL lets one
   * thread run Python at a time) and its processes, beside Java's threads against sequential at the same size.
   */
  static java.util.Optional<String> lesson(List<Line> lines, Analysis a) {
    java.util.function.Function<String, java.util.Optional<Line>> find = m -> lines.stream()
        .filter(l -> l.workload().equals("images") && l.method().equals("python " + m)).findFirst();
    java.util.Optional<Line> loop = find.apply("loop");
    java.util.Optional<Line> threads = find.apply("threads");
    java.util.Optional<Line> processes = find.apply("processes");
    if (loop.isEmpty() || threads.isEmpty() || processes.isEmpty()) {
      return java.util.Optional.empty();
    }
    java.util.Optional<Analysis.Point> javaThreads = a.pointsAtLargestSize("images").stream()
        .filter(p -> p.config().mode().equals("threads") && p.config().parallelism() == threads.get().workers() && p.speedup() != null)
        .findFirst();
    String javaPart = javaThreads.map(p -> String.format(Locale.ROOT, "; Java's threads, %d of them, ran the same images %s faster than sequential, "
        + "whole process", p.config().parallelism(), Verdict.times(p.speedup()))).orElse("");
    return java.util.Optional.of(String.format(Locale.ROOT, "The talk's lesson, measured on %,d images: Python's %d threads took %.2f s against "
            + "its loop's %.2f s (%.2fx: the GIL runs one thread's Python at a time), its %d processes %.2f s (%.2fx)%s.",
        loop.get().items(), threads.get().workers(), threads.get().wallSeconds(), loop.get().wallSeconds(),
        loop.get().wallSeconds() / threads.get().wallSeconds(), processes.get().workers(), processes.get().wallSeconds(),
        loop.get().wallSeconds() / processes.get().wallSeconds(), javaPart));
  }

  /**
   * The first interpreter that imports the modules: python3 on the PATH, else the system's (where Debian's
   * packages go when a version manager's python3 comes first on the PATH); empty when neither does.
   */
  static java.util.Optional<String> interpreter(String imports) throws InterruptedException {
    for (String python : List.of("python3", "/usr/bin/python3")) {
      try {
        Process p = new ProcessBuilder(python, "-c", imports).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        } else if (p.exitValue() == 0) {
          return java.util.Optional.of(python);
        }
      } catch (IOException notThere) {
        // Try the next one.
      }
    }
    return java.util.Optional.empty();
  }

  private static java.util.Optional<Line> run(String python, Path dir, String script, List<String> args, List<String> notes)
      throws IOException, InterruptedException {
    Path file = dir.resolve(script);
    try (InputStream in = Baselines.class.getResourceAsStream("/baselines/" + script)) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> cmd = new ArrayList<>(List.of(python, file.toString()));
    cmd.addAll(args);
    Path log = dir.resolve(script + "-" + args.get(0) + ".log");
    long started = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    if (!p.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      notes.add("Python baseline " + script + " " + args.get(0) + " ran over " + LIMIT_MINUTES + " minutes and was stopped.");
      return java.util.Optional.empty();
    }
    double wall = (System.nanoTime() - started) / 1e9;
    if (p.exitValue() != 0) {
      notes.add("Python baseline " + script + " " + args.get(0) + " failed (exit " + p.exitValue() + "; log " + log + ").");
      return java.util.Optional.empty();
    }
    JsonNode r = Json.mapper().readTree(stdout);
    return java.util.Optional.of(new Line(r.get("workload").asText(), "python " + r.get("method").asText(), r.get("workers").asInt(),
        r.get("items").asLong(), r.get("succeeded").asLong(), r.get("failed").asLong(), Math.round(wall * 1000) / 1000.0));
  }
}
