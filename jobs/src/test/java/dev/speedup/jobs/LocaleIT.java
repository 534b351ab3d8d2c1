package dev.speedup.jobs;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.fixtures.XrayCorpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The jar under the C locale, where the JVM names files in ASCII (many containers, cron, {@code env -i}): a
 * file named {@code café.jpeg} had stopped {@code images} (exit 1, nothing accounted for). bin/speedup runs
 * the JVM under C.UTF-8, so the file is read; plain {@code java -jar} fails that file alone, saying what to
 * do; a flag naming such a path is a usage error. The non-ASCII names are written by the shell, in escapes,
 * so the test does not depend on this JVM's own locale.
 */
public class LocaleIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path JAR = ROOT.resolve("jobs/target/speedup.jar");
  private static final String CAFE = "$'caf\\xc3\\xa9'";

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aNonAsciiFileNameIsReadThroughTheLauncherAndFailsAloneUnderPlainJavaInTheCLocale() throws Exception {
    assertTrue("build the jar first (mvn package): " + JAR, Files.isRegularFile(JAR));
    Path in = tmp.newFolder("in").toPath();
    XrayCorpus.write(in, 2, 1, i -> {});
    List<Path> jpegs;
    try (Stream<Path> walk = Files.walk(in)) {
      jpegs = walk.filter(p -> p.toString().endsWith(".jpeg") && !p.getFileName().toString().startsWith("._")).sorted().toList();
    }
    Path flat = tmp.newFolder("flat").toPath();
    Files.copy(jpegs.get(0), flat.resolve("plain.jpeg"));
    assertEquals(0, shell("cp plain.jpeg " + CAFE + ".jpeg", flat).code());

    Path viaLauncher = tmp.getRoot().toPath().resolve("launcher");
    Result launcher = shell("bash " + ROOT.resolve("bin/speedup") + " images --input=. --output=" + viaLauncher, flat);
    assertEquals(launcher.output(), 0, launcher.code());
    assertEquals(2, summary(viaLauncher).get("succeeded").asInt());

    Path viaJava = tmp.getRoot().toPath().resolve("java");
    Result plain = shell("java -jar " + JAR + " images --input=. --output=" + viaJava, flat);
    assertEquals(plain.output(), 3, plain.code());
    JsonNode s = summary(viaJava);
    assertEquals(2, s.get("inputs").asInt());
    assertEquals(1, s.get("succeeded").asInt());
    assertTrue(s.get("reconciled").asBoolean());
    String failure = Files.readString(viaJava.resolve("failures.jsonl"), StandardCharsets.UTF_8);
    assertThat(failure, containsString("\"stage\":\"list\""));
    assertThat(failure, containsString("LC_ALL=C.UTF-8"));

    Result flag = shell("java -jar " + JAR + " images --input=. --output=" + tmp.getRoot() + "/" + CAFE, flat);
    assertEquals(flag.output(), 2, flag.code());
    assertThat(flag.output(), containsString("bad value for --output"));
  }

  private record Result(int code, String output) {}

  /** A bash command in {@code dir} under the C locale, with no class-data archive (this checks names, not start-up). */
  private Result shell(String command, Path dir) throws Exception {
    Path log = tmp.newFile().toPath();
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("JAVA_OPTS"));
    pb.environment().put("LANG", "C");
    pb.environment().put("SPEEDUP_CDS", "0");
    pb.environment().put("SPEEDUP_JAR", JAR.toString());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("did not finish in 5 minutes: " + command);
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static JsonNode summary(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }
}
