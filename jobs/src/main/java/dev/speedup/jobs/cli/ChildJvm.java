package dev.speedup.jobs.cli;

import dev.speedup.jobs.Main;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command of this program in a fresh JVM (so one run's JIT and heap do not leak into the next),
 * with the JVM settings of {@code bin/speedup}, and times it as a whole process.
 */
public final class ChildJvm {
  private static final long LIMIT_MINUTES = 30;

  /** This JVM's java executable. */
  private final String javaCommand;
  /** What follows the settings: Flink's opens. */
  private final List<String> opens;
  /** What precedes the command: the jar, or the classpath and the main class. */
  private final List<String> program;
  /** The launcher's class-data archive beside the jar, when the program runs from one. */
  private final ClassDataArchive archive;

  private ChildJvm(String javaCommand, List<String> opens, List<String> program, ClassDataArchive archive) {
    this.javaCommand = javaCommand;
    this.opens = opens;
    this.program = program;
    this.archive = archive;
  }

  /**
   * bin/speedup's settings, from the one file both read: short batch jobs on few cores (why: in that file).
   * Read when a child is started, not when Main asks {@link #inIsolatedClassLoader} on every run.
   */
  private static final class SettingsFile {
    static final List<String> LINES = settingsLines();
  }

  private static List<String> settingsLines() {
    try (InputStream in = ChildJvm.class.getResourceAsStream("/speedup-jvm.options")) {
      if (in == null) {
        throw new IllegalStateException("speedup-jvm.options is missing from the classpath (a broken build)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the settings file gives one command's JVM: its flags and its environment. */
  record Settings(List<String> flags, Map<String, String> environment) {}

  /**
   * The settings for {@code command}, read as bin/speedup reads them: general lines, then "COMMAND: SETTING"
   * lines for this command; a collector on the command's own lines replaces the general one and its
   * young-generation size.
   */
  static Settings settingsFor(String command) {
    List<String> general = new ArrayList<>();
    List<String> own = new ArrayList<>();
    for (String line : SettingsFile.LINES) {
      int colon = line.indexOf(':');
      if (line.startsWith("-")) {
        general.add(line);
      } else if (colon > 0 && line.substring(0, colon).equals(command)) {
        own.add(line.substring(colon + 1).strip());
      }
    }
    boolean ownCollector = own.stream().anyMatch(ChildJvm::namesCollector);
    List<String> flags = new ArrayList<>();
    Map<String, String> environment = new LinkedHashMap<>();
    for (String setting : general) {
      if (!(ownCollector && (namesCollector(setting) || setting.startsWith("-Xmn")))) {
        flags.add(setting);
      }
    }
    for (String setting : own) {
      int eq = setting.indexOf('=');
      if (setting.startsWith("-")) {
        flags.add(setting);
      } else if (eq > 0) {
        environment.put(setting.substring(0, eq), setting.substring(eq + 1));
      }
    }
    return new Settings(List.copyOf(flags), environment);
  }

  private static boolean namesCollector(String flag) {
    return flag.startsWith("-XX:+Use") && flag.endsWith("GC");
  }

  /**
   * The way this JVM was started, for children: this jar (with the launcher's class-data archive when it
   * exists beside it), or this JVM's classpath (tests, {@code mvn exec:java}).
   */
  public static ChildJvm likeThisOne() {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> opens = new ArrayList<>();
    // What Flink needs opened on Java 17, as this JVM got it (surefire's argLine, .mvn/jvm.config); from
    // the jar, `-jar` applies its manifest's Add-Opens instead.
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
        opens.add(arg);
      }
    }
    Path self = codeLocation();
    if (self != null && Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
      return new ChildJvm(java, opens, List.of("-jar", self.toString()), new ClassDataArchive(self));
    }
    return new ChildJvm(java, opens, List.of("-cp", classpath(), Main.class.getName()), null);
  }

  /** Flink's opens, the class-data archive when there is one, and the program. */
  private List<String> launch() {
    List<String> launch = new ArrayList<>(opens);
    if (archive != null) {
      launch.addAll(archive.flags());
    }
    launch.addAll(program);
    return launch;
  }

  /**
   * A run not measured: when this command has not recorded its classes since the jar was built, it records
   * them and writes the class-data archive as bin/speedup's first run of a command does, so every measured
   * run starts the way bin/speedup starts.
   */
  public Exit warmUp(List<String> args, Path log) throws IOException, InterruptedException {
    String command = args.isEmpty() ? "" : args.get(0);
    if (archive == null || !archive.wantsRecordingOf(command, args.subList(Math.min(1, args.size()), args.size()))) {
      return run(args, log);
    }
    Path recorded = archive.recordingFile(command);
    try {
      List<String> recording = new ArrayList<>(opens);
      recording.add("-XX:DumpLoadedClassList=" + recorded);
      recording.addAll(program);
      Exit e = run(recording, args, log);
      if (e.code() == 0) {
        archive.write(command, recorded, javaCommand, log.resolveSibling(log.getFileName() + ".archive.log"));
      }
      return e;
    } finally {
      Files.deleteIfExists(recorded);
    }
  }

  private static Path codeLocation() {
    try {
      return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** Under mvn exec:java the program's classes come from a URLClassLoader, not java.class.path. */
  private static String classpath() {
    for (ClassLoader l = Main.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader urls && urls.getURLs().length > 0) {
        List<String> parts = new ArrayList<>();
        for (URL u : urls.getURLs()) {
          try {
            parts.add(Path.of(u.toURI()).toString());
          } catch (URISyntaxException | RuntimeException ignored) {
            // Not a file: cannot be on a child's classpath.
          }
        }
        return String.join(java.io.File.pathSeparator, parts);
      }
    }
    return System.getProperty("java.class.path");
  }

  /** What one child run did: exit code and wall seconds; its output went to {@code log}. */
  public record Exit(int code, double wallSeconds) {}

  public Exit run(List<String> args, Path log) throws IOException, InterruptedException {
    return run(launch(), args, log);
  }

  /**
   * True when this program's classes come from a class loader of their own (mvn exec:java runs it inside
   * Maven's JVM), where Flink's embedded cluster cannot load Flink's classes for the job it is given.
   */
  public static boolean inIsolatedClassLoader() {
    return Main.class.getClassLoader() != ClassLoader.getSystemClassLoader();
  }

  /** Runs {@code args} in a child JVM sharing this one's terminal; returns its exit code. */
  public int runInheritingIo(List<String> args) throws IOException, InterruptedException {
    return processFor(launch(), args).inheritIO().start().waitFor();
  }

  /** This Java with the command's settings, then {@code launch}, then the command and its flags ({@code args}). */
  private ProcessBuilder processFor(List<String> launch, List<String> args) {
    Settings settings = settingsFor(args.isEmpty() ? "" : args.get(0));
    List<String> cmd = new ArrayList<>(List.of(javaCommand));
    cmd.addAll(settings.flags());
    cmd.addAll(launch);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    settings.environment().forEach(pb.environment()::putIfAbsent);
    return pb;
  }

  private Exit run(List<String> launch, List<String> args, Path log) throws IOException, InterruptedException {
    return start(processFor(launch, args), log);
  }

  private static Exit start(ProcessBuilder pb, Path log) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Files.writeString(log, String.join(" ", pb.command()) + "\n\n");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      p.waitFor();
      return new Exit(-1, (System.nanoTime() - start) / 1e9);
    }
    return new Exit(p.exitValue(), (System.nanoTime() - start) / 1e9);
  }
}
