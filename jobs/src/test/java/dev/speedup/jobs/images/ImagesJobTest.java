package dev.speedup.jobs.images;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.fixtures.XrayCorpus;
import dev.speedup.jobs.Cli;
import dev.speedup.jobs.Main;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.values.KV;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The images command end to end, as a user runs it: a folder in, files and exit code out. */
public class ImagesJobTest {
  private static final Path RUN_CONFIGS = Path.of("..", "run-configs");
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static Path input;
  private static Path sequential;
  private static Path threads;
  private static Path flink;
  private static final int GOOD = 24;

  private static Cli.Result run(String... args) {
    return Cli.run(args);
  }

  @BeforeClass
  public static void corpusWithHostileFilesAndBothModes() throws Exception {
    input = TMP.newFolder("input").toPath();
    XrayCorpus.write(input, GOOD, 5, i -> {});
    Path normal = input.resolve("chest_xray/train/NORMAL");
    byte[] some = Files.readAllBytes(Files.list(normal).filter(p -> p.toString().endsWith(".jpeg")).findFirst().orElseThrow());
    Files.write(normal.resolve("truncated.jpeg"), Arrays.copyOf(some, some.length / 3));
    Files.write(normal.resolve("zero.jpeg"), new byte[0]);
    Files.write(normal.resolve("readme.jpeg"), "not an image".getBytes(StandardCharsets.UTF_8));
    // The same name with two extensions, and odd characters.
    BufferedImage small = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
    ImageIO.write(small, "png", normal.resolve("twin.png").toFile());
    ImageIO.write(small, "bmp", normal.resolve("twin.bmp").toFile());
    ImageIO.write(small, "png", normal.resolve("we:ird*na?me.png").toFile());
    sequential = TMP.newFolder("sequential").toPath();
    threads = TMP.newFolder("threads").toPath();
    flink = TMP.newFolder("flink-local").toPath();
    for (Path[] mode : new Path[][] {
        {RUN_CONFIGS.resolve("sequential.args"), sequential},
        {RUN_CONFIGS.resolve("threads.args"), threads},
        {RUN_CONFIGS.resolve("flink-local.args"), flink}}) {
      Cli.Result r = run("images", "@" + mode[0], "--input=" + input, "--output=" + mode[1], "--npy");
      assertEquals("the corpus's hostile files make exit 3: " + r.err(), dev.speedup.jobs.cli.ExitCode.SOME_FAILED, r.code());
      assertThat(r.out(), containsString("Resized " + (GOOD + 6) + " images"));
    }
  }

  private static Map<String, byte[]> tree(Path dir) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString();
        if (!rel.equals(ImagesJob.SUMMARY)) {
          files.put(rel, Files.readAllBytes(p));
        }
      }
    }
    return files;
  }

  @Test
  public void everyModeWritesTheSameFilesByteForByte() throws Exception {
    Map<String, byte[]> a = tree(sequential);
    for (Path other : List.of(threads, flink)) {
      Map<String, byte[]> b = tree(other);
      assertEquals(other.toString(), a.keySet(), b.keySet());
      for (String file : a.keySet()) {
        assertArrayEquals(other + ": " + file, a.get(file), b.get(file));
      }
    }
    assertThat(a.keySet(), hasItems(ImagesJob.MANIFEST, ImagesJob.FAILURES, ImagesJob.NPY, ImagesJob.LABELS));
    assertThat("no temporary files left", a.keySet().stream().filter(k -> k.contains(".tmp")).toList(), empty());
  }

  @Test
  public void manifestFailuresAndSummaryAccountForEveryInput() throws Exception {
    List<String> manifest = Files.readAllLines(sequential.resolve(ImagesJob.MANIFEST));
    assertEquals(ImagesJob.MANIFEST_HEADER, manifest.get(0));
    List<String> rows = manifest.subList(1, manifest.size());
    assertEquals(GOOD + 3, rows.size());
    List<String> sorted = new ArrayList<>(rows);
    sorted.sort(null);
    assertEquals(sorted, rows);
    for (String row : rows) {
      String[] f = row.split(",");
      assertEquals(row, 9, f.length);
      assertTrue(row, Files.isRegularFile(sequential.resolve(f[8])));
      if (f[0].startsWith("chest_xray/") && f[0].endsWith(".jpeg")) {
        assertThat(row, f[1], is(oneOf("train", "test", "val")));
        assertThat(row, f[2], is(oneOf("NORMAL", "PNEUMONIA")));
        assertThat(row, Integer.parseInt(f[3]), allOf(greaterThanOrEqualTo(XrayCorpus.MIN_SIDE), lessThanOrEqualTo(XrayCorpus.MAX_SIDE)));
        assertThat(row, f[5], is(oneOf("1", "3")));
        assertEquals(row, "8", f[6]);
      }
    }
    assertThat(rows, hasItem(startsWith("chest_xray/train/NORMAL/twin.bmp,train,NORMAL,40,30,")));
    String twinBmp = rows.stream().filter(r -> r.startsWith("chest_xray/train/NORMAL/twin.bmp")).findFirst().orElseThrow();
    String twinPng = rows.stream().filter(r -> r.startsWith("chest_xray/train/NORMAL/twin.png")).findFirst().orElseThrow();
    assertThat(twinBmp, endsWith("images/chest_xray/train/NORMAL/twin.png"));
    assertThat(twinPng, endsWith("images/chest_xray/train/NORMAL/twin@2.png"));
    assertThat(rows, hasItem(endsWith("images/chest_xray/train/NORMAL/we_ird_na_me.png")));

    ObjectMapper json = new ObjectMapper();
    Map<String, String> kinds = new TreeMap<>();
    for (String line : Files.readAllLines(sequential.resolve(ImagesJob.FAILURES))) {
      JsonNode f = json.readTree(line);
      kinds.put(f.get("input").asText(), f.get("kind").asText());
    }
    assertEquals(Map.of(
        "chest_xray/train/NORMAL/readme.jpeg", "NOT_AN_IMAGE",
        "chest_xray/train/NORMAL/truncated.jpeg", "CORRUPT_IMAGE",
        "chest_xray/train/NORMAL/zero.jpeg", "EMPTY_FILE"), kinds);

    // On Flink the counts come back through the job's accumulators, not from in-process state.
    for (Path out : List.of(sequential, flink)) {
      JsonNode summary = json.readTree(out.resolve(ImagesJob.SUMMARY).toFile());
      assertEquals(GOOD + 6, summary.get("inputs").asInt());
      assertEquals(GOOD + 3, summary.get("succeeded").asInt());
      assertEquals(3, summary.get("failed").asInt());
      assertTrue(summary.get("reconciled").asBoolean());
      assertEquals("the generator's .DS_Store and __MACOSX files", 4, summary.get("skippedJunk").asInt());
    }
  }

  @Test
  public void theNpyFileHoldsTheThumbnailsInManifestOrder() throws Exception {
    byte[] npy = Files.readAllBytes(sequential.resolve(ImagesJob.NPY));
    assertEquals((byte) 0x93, npy[0]);
    assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
    int headerLength = (npy[8] & 0xFF) | ((npy[9] & 0xFF) << 8);
    String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
    assertEquals("data is 64-byte aligned", 0, (10 + headerLength) % 64);
    assertThat(header, containsString("'descr': '|u1'"));
    assertThat(header, containsString("'fortran_order': False"));
    Matcher shape = Pattern.compile("'shape': \\((\\d+), (\\d+), (\\d+)\\)").matcher(header);
    assertTrue(header, shape.find());
    int n = Integer.parseInt(shape.group(1));
    assertEquals(GOOD + 3, n);
    assertEquals(64, Integer.parseInt(shape.group(2)));
    assertEquals(64, Integer.parseInt(shape.group(3)));
    assertEquals(10 + headerLength + n * 64 * 64, npy.length);

    List<String> rows = Files.readAllLines(sequential.resolve(ImagesJob.MANIFEST));
    List<String> labels = Files.readAllLines(sequential.resolve(ImagesJob.LABELS));
    assertEquals("index,path,label", labels.get(0));
    for (int i = 0; i < n; i++) {
      String[] m = rows.get(i + 1).split(",");
      String[] l = labels.get(i + 1).split(",");
      assertEquals(Integer.toString(i), l[0]);
      assertEquals(m[0], l[1]);
      assertEquals(m[2], l[2]);
      BufferedImage png = ImageIO.read(sequential.resolve(m[8]).toFile());
      byte[] expected = new byte[64 * 64];
      png.getRaster().getDataElements(0, 0, 64, 64, expected);
      assertArrayEquals(m[0], expected, Arrays.copyOfRange(npy, 10 + headerLength + i * 4096, 10 + headerLength + (i + 1) * 4096));
    }
  }

  @Test
  public void badFlagsFailFastWithExitCode2() {
    for (String[] bad : List.of(
        new String[] {"--fit=squash", "fit", "stretch, contain or cover"},
        new String[] {"--color=sepia", "color", "gray or rgb"},
        new String[] {"--width=0", "width", "1..4096"},
        new String[] {"--input=/no/such/folder", "input", "an existing folder"})) {
      Cli.Result r = run("images", bad[0], "--output=" + TMP.getRoot().toPath().resolve("never"));
      assertEquals(r.err(), Main.USAGE, r.code());
      assertThat(r.err(), containsString("--" + bad[1]));
      assertThat(r.err(), containsString(bad[2]));
    }
    Cli.Result inside = run("images", "--input=" + input, "--output=" + input.resolve("out"));
    assertEquals(Main.USAGE, inside.code());
    assertThat(inside.err(), containsString("outside the input folder"));
  }

  @Test
  public void makeImagesIsDeterministic() throws Exception {
    Path a = TMP.newFolder("a").toPath();
    Path b = TMP.newFolder("b").toPath();
    assertEquals(0, run("make-images", "--output=" + a, "--count=8", "--seed=9").code());
    assertEquals(0, run("make-images", "--output=" + b, "--count=8", "--seed=9").code());
    Map<String, byte[]> ta = tree(a);
    Map<String, byte[]> tb = tree(b);
    assertEquals(ta.keySet(), tb.keySet());
    for (String k : ta.keySet()) {
      assertArrayEquals(k, ta.get(k), tb.get(k));
    }
    assertThat(ta.keySet(), hasItems("chest_xray/.DS_Store"));
    assertEquals(8, ta.keySet().stream().filter(k -> k.endsWith(".jpeg") && !k.contains("__MACOSX")).count());
    for (String k : ta.keySet()) {
      assertEquals(k + " is readable like any output", "rw-r--r--",
          java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(a.resolve(k))));
    }
  }

  @Test
  public void filesAreDealtIntoBucketsOfAboutEqualBytes() {
    // Sizes as varied as the corpus's: a few large files and many small ones.
    List<MatchResult.Metadata> files = new ArrayList<>();
    Random random = new Random(7);
    long largest = 0;
    for (int i = 0; i < 301; i++) {
      long size = i % 50 == 0 ? 2_000_000 : 20_000 + random.nextInt(400_000);
      largest = Math.max(largest, size);
      files.add(MatchResult.Metadata.builder()
          .setResourceId(FileSystems.matchNewResource("/data/f" + i + ".jpeg", false))
          .setSizeBytes(size).setIsReadSeekEfficient(true).setLastModifiedMillis(0).build());
    }
    for (int buckets : new int[] {1, 2, 3, 8}) {
      List<KV<Integer, MatchResult.Metadata>> keyed = Buckets.bySize(files, buckets);
      assertEquals(files.size(), keyed.size());
      long[] load = new long[buckets];
      for (int i = 0; i < keyed.size(); i++) {
        assertEquals("input order kept", files.get(i), keyed.get(i).getValue());
        load[keyed.get(i).getKey()] += keyed.get(i).getValue().sizeBytes();
      }
      long max = Arrays.stream(load).max().getAsLong();
      long min = Arrays.stream(load).min().getAsLong();
      assertTrue(buckets + " buckets: totals " + Arrays.toString(load), max - min <= largest);
      assertEquals("deterministic", keyed, Buckets.bySize(files, buckets));
    }
  }
}
