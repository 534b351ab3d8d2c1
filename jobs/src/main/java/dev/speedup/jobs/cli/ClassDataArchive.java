package dev.speedup.jobs.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The class-data archive beside the jar, kept as bin/speedup keeps it: the first {@code images} run and the
 * first {@code fetch} run after a build each record the classes they load ({@code speedup.COMMAND.classlist}),
 * and the archive ({@code speedup.jsa}) is written from every list recorded since the jar was built, so it
 * holds both commands' classes whichever ran first.
 */
final class ClassDataArchive {
  private static final Set<String> RECORDED = Set.of("images", "fetch");
  private static final long DUMP_LIMIT_MINUTES = 10;

  private final Path jar;
  private final Path jsa;

  ClassDataArchive(Path jar) {
    this.jar = jar;
    this.jsa = sibling(".jsa");
  }

  private Path sibling(String suffix) {
    return jar.resolveSibling(jar.getFileName().toString().replaceAll("\\.jar$", "") + suffix);
  }

  private Path listOf(String command) {
    return sibling("." + command + ".classlist");
  }

  /** The flags that load classes from the archive, when it is newer than the jar; none otherwise. */
  List<String> flags() {
    return newerThanJar(jsa) ? List.of("-XX:SharedArchiveFile=" + jsa, "-Xshare:auto", "-Xlog:cds=off") : List.of();
  }

  /**
   * Whether a run of {@code command} with {@code flags} is to record its classes: its list is missing or older
   * than the jar, and it runs on the DirectRunner. A run on Flink loads thousands of Flink's classes that
   * DirectRunner runs never use; in the archive they would add to every later run's memory.
   */
  boolean wantsRecordingOf(String command, List<String> flags) {
    if (!RECORDED.contains(command) || newerThanJar(listOf(command)) || !Files.isWritable(jar.getParent())) {
      return false;
    }
    try {
      return !Args.namesFlinkRunner(flags);
    } catch (UsageException e) {
      return false; // the run itself reports the bad command line
    }
  }

  /** A new file for a run of {@code command} to record its classes in. */
  Path recordingFile(String command) throws IOException {
    Path own = listOf(command);
    return Files.createTempFile(own.getParent(), own.getFileName().toString() + ".", "");
  }

  /**
   * After a run of {@code command} recorded its classes in {@code recorded} and succeeded: keeps the list
   * and writes the archive from every current list with {@code java}; its output goes to {@code log}.
   * True when the archive was written.
   */
  boolean write(String command, Path recorded, String java, Path log) throws IOException, InterruptedException {
    Files.move(recorded, listOf(command), StandardCopyOption.REPLACE_EXISTING);
    Set<String> union = new LinkedHashSet<>();
    try (Stream<Path> siblings = Files.list(jar.getParent())) {
      for (Path list : siblings.filter(p -> isListOfThisJar(p) && newerThanJar(p)).sorted().toList()) {
        // Not the regenerated method-handle classes: as bin/speedup says, JDK 17 crashes loading them from
        // the archive under Java Flight Recorder.
        Files.readAllLines(list, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("@lambda-form-invoker")).forEach(union::add);
      }
    }
    Path unionFile = Files.createTempFile(jar.getParent(), jsa.getFileName() + ".list.", "");
    Path tmp = Files.createTempFile(jar.getParent(), jsa.getFileName() + ".", "");
    try {
      Files.write(unionFile, union, StandardCharsets.UTF_8);
      List<String> dump = List.of(java, "-Xshare:dump", "-XX:SharedClassListFile=" + unionFile,
          "-XX:SharedArchiveFile=" + tmp, "-Xlog:cds=off", "-Xlog:cds+heap=off", "-cp", jar.toString());
      Process p = new ProcessBuilder(dump).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      // A dump takes seconds; one that hangs must not hold up the comparison it warms up for.
      if (!p.waitFor(DUMP_LIMIT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        return false;
      }
      if (p.exitValue() != 0) {
        return false;
      }
      Files.move(tmp, jsa, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } finally {
      Files.deleteIfExists(unionFile);
      Files.deleteIfExists(tmp);
    }
  }

  private boolean isListOfThisJar(Path p) {
    String name = p.getFileName().toString();
    String base = jar.getFileName().toString().replaceAll("\\.jar$", "");
    return name.startsWith(base + ".") && name.endsWith(".classlist");
  }

  private boolean newerThanJar(Path p) {
    return Files.isRegularFile(p) && p.toFile().lastModified() > jar.toFile().lastModified();
  }
}
