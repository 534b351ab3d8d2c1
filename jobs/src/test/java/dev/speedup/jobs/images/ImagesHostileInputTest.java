package dev.speedup.jobs.images;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speedup.jobs.Cli;
import dev.speedup.jobs.Tmpfs;
import dev.speedup.jobs.output.OutputLock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Inputs and output folders that once stopped or fooled the job: each is now an output, a failure, a count or exit 2. */
public class ImagesHostileInputTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  public static void png(Path file, int w, int h) throws Exception {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, (x + y) & 0xFF);
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }

  /** A baseline JPEG whose scan names Huffman table 5 (decoders index a 4-entry array with it). */
  static byte[] jpegNamingTableFive() throws Exception {
    BufferedImage img = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpeg", out);
    byte[] d = out.toByteArray();
    for (int i = 0; i + 1 < d.length; i++) {
      if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == 0xDA) {
        d[i + 6] = 0x55;
        return d;
      }
    }
    throw new AssertionError("no SOS");
  }

  static JsonNode summary(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve(ImagesJob.SUMMARY).toFile());
  }

  static Map<String, String> failures(Path out) throws Exception {
    Map<String, String> kinds = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(out.resolve(ImagesJob.FAILURES))) {
      JsonNode f = json.readTree(line);
      kinds.put(f.get("input").asText(), f.get("kind").asText());
    }
    return kinds;
  }

  static List<String> files(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test(timeout = 300_000) // a listing that loops would never end: this bounds the test, not a speed
  public void loopsSpecialFilesOddNamesAndCraftedFilesAreAllAccountedFor() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    png(in.resolve("a.png"), 120, 90);
    png(in.resolve("sub/b.png"), 120, 90);
    png(in.resolve("new\nline.png"), 60, 40);
    String longName = "y".repeat(230) + ".png"; // once over the temporary name's limit
    png(in.resolve(longName), 60, 40);
    png(in.resolve("z".repeat(255)), 60, 40); // no extension: its thumbnail's name (+ .png) is too long to write
    Files.write(in.resolve("table5.jpeg"), jpegNamingTableFive());
    Files.createSymbolicLink(in.resolve("loop"), Path.of("."));
    Files.createSymbolicLink(in.resolve("sub/up"), Path.of(".."));
    Files.createSymbolicLink(in.resolve("again"), in.resolve("sub")); // a second way to sub/
    Files.createSymbolicLink(in.resolve("zero.png"), Path.of("/dev/zero"));
    Files.createSymbolicLink(in.resolve("dangling.png"), in.resolve("missing.png"));
    Process fifo = new ProcessBuilder("mkfifo", in.resolve("fifo.png").toString()).start();
    assertEquals(0, fifo.waitFor());
    Path out = tmp.getRoot().toPath().resolve("out");

    Cli.Result r = Cli.run("images", "--input=" + in, "--output=" + out);
    assertEquals(r.err(), dev.speedup.jobs.cli.ExitCode.SOME_FAILED, r.code());
    JsonNode s = summary(out);
    assertEquals("a, sub/b, new\\nline, the long name, the too-long one, table5", 6, s.get("inputs").asInt());
    assertEquals(4, s.get("succeeded").asInt());
    assertEquals(2, s.get("failed").asInt());
    assertTrue(s.get("reconciled").asBoolean());
    JsonNode skipped = s.get("skipped");
    assertEquals(2, skipped.get("special file").asInt()); // the FIFO and the link to /dev/zero
    assertEquals(1, skipped.get("dangling link").asInt());
    assertTrue(skipped.toString(), skipped.get("loop").asInt() + skipped.path("repeated directory").asInt() >= 3);
    assertEquals(Map.of("table5.jpeg", "CORRUPT_IMAGE", "z".repeat(255), "WRITE_FAILED"), failures(out));
    List<String> manifest = Files.readAllLines(out.resolve(ImagesJob.MANIFEST));
    String all = String.join("\n", manifest);
    assertThat("the newline name, quoted", all, containsString("\"new\nline.png\""));
    assertTrue(Files.isRegularFile(out.resolve("images/" + "y".repeat(230) + ".png")));
    assertTrue(Files.isRegularFile(out.resolve("images/sub/b.png")));
    assertFalse("sub/ is listed once, not again through its links", Files.exists(out.resolve("images/again")));
    assertFalse(Files.exists(out.resolve(OutputLock.INCOMPLETE)));
  }

  /**
   * A name whose bytes are not UTF-8 (valid on Linux; such files come from old archives): the JVM cannot name
   * it under a UTF-8 locale nor under the C one, so it is an input that fails at listing, saying why, and
   * the files beside it are thumbnailed. It had stopped the job under the C locale (InvalidPathException, exit 1).
   */
  @Test
  public void aFileWhoseNameTheJvmCannotDecodeFailsAloneSayingWhy() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    png(in.resolve("plain.png"), 120, 90);
    // Made by the shell: from this JVM a String cannot give those bytes.
    Process cp = new ProcessBuilder("bash", "-c", "cp plain.png $'latin1-caf\\xe9.png'").directory(in.toFile()).start();
    assertEquals(0, cp.waitFor());
    assertEquals(2, files(in).size());
    Path out = tmp.getRoot().toPath().resolve("out");

    Cli.Result r = Cli.run("images", "--input=" + in, "--output=" + out);
    assertEquals(r.err(), dev.speedup.jobs.cli.ExitCode.SOME_FAILED, r.code());
    JsonNode s = summary(out);
    assertEquals(2, s.get("inputs").asInt());
    assertEquals(1, s.get("succeeded").asInt());
    assertEquals(1, s.get("failed").asInt());
    assertEquals(1, s.get("failedByKind").get("UNREADABLE").asInt());
    assertTrue(s.get("reconciled").asBoolean());
    JsonNode f = new ObjectMapper().readTree(Files.readAllLines(out.resolve(ImagesJob.FAILURES)).get(0));
    assertThat(f.get("input").asText(), startsWith("latin1-caf"));
    assertEquals("list", f.get("stage").asText());
    assertThat(f.get("message").asText(), containsString("file-name encoding"));
    assertEquals(List.of("images/plain.png"), files(out).stream().filter(p -> p.startsWith("images/")).toList());
  }

  /**
   * A disk that fills while thumbnails are written: the thumbnails that did not fit fail on their own, and the run
   * fails (exit 1) when it cannot write its lists, naming that file; no temporary file is left in the folder.
   */
  @Test(timeout = 300_000)
  public void aDiskThatFillsFailsTheRunNamingTheFileAndLeavesNoTemporaries() throws Exception {
    Path disk = tmp.newFolder("disk").toPath();
    // A real full disk needs a filesystem of its own: a 256 KiB tmpfs (64 pages; a thumbnail takes a page).
    try (Tmpfs mounted = Tmpfs.mount(disk, "size=256k")) {
      Path in = tmp.newFolder("in").toPath();
      for (int i = 0; i < 100; i++) {
        png(in.resolve(String.format("p%03d.png", i)), 90, 60);
      }
      Path out = disk.resolve("out");

      Cli.Result r = Cli.run("images", "--input=" + in, "--output=" + out);

      assertEquals(r.err(), 1, r.code());
      assertThat(r.err(), containsString("failed: cannot write " + out + "/"));
      assertThat(r.err(), containsString("No space left on device"));
      List<String> left = files(out);
      assertThat("some thumbnails fit", left, hasItem(startsWith("images/p0")));
      assertThat(left, everyItem(not(containsString(".tmp-"))));
      assertThat("the folder says the run did not finish", left, hasItem(OutputLock.INCOMPLETE));
    }
  }

  @Test
  public void anOutputThatIsAFileOrInsideTheInputIsAUsageError() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    png(in.resolve("a.png"), 60, 40);
    Path file = Files.writeString(tmp.getRoot().toPath().resolve("notes.txt"), "mine");
    Cli.Result asFile = Cli.run("images", "--input=" + in, "--output=" + file);
    assertEquals(2, asFile.code());
    assertThat(asFile.err(), containsString("--output"));
    assertThat(asFile.err(), containsString("existing file"));
    assertEquals("mine", Files.readString(file));

    Cli.Result same = Cli.run("images", "--input=" + in, "--output=" + in);
    assertEquals(2, same.code());
    assertThat(same.err(), containsString("outside the input folder"));

    Path link = Files.createSymbolicLink(tmp.getRoot().toPath().resolve("sneaky"), in);
    Cli.Result throughLink = Cli.run("images", "--input=" + in, "--output=" + link.resolve("thumbs"));
    assertEquals(2, throughLink.code());
    assertThat(throughLink.err(), containsString("outside the input folder"));
    assertEquals(List.of("a.png"), files(in));
  }

  @Test
  public void aFolderAnotherRunHoldsIsRefusedAndAnInterruptedRunLeavesItMarked() throws Exception {
    Path in = tmp.newFolder("in").toPath();
    png(in.resolve("a.png"), 60, 40);
    Path out = tmp.getRoot().toPath().resolve("out");
    try (OutputLock held = OutputLock.take(out, "output", "images")) {
      Cli.Result r = Cli.run("images", "--input=" + in, "--output=" + out);
      assertEquals(2, r.code());
      assertThat(r.err(), containsString("another images run holds"));
      // The holder has not finished: the folder says so.
      assertTrue(Files.exists(out.resolve(OutputLock.INCOMPLETE)));
    }
    assertTrue("a run that never finished leaves its mark", Files.exists(out.resolve(OutputLock.INCOMPLETE)));
    Cli.Result r = Cli.run("images", "--input=" + in, "--output=" + out);
    assertEquals(r.err(), 0, r.code());
    assertFalse(Files.exists(out.resolve(OutputLock.INCOMPLETE)));
  }

  @Test
  public void aRerunReplacesTheEarlierRunsThumbnailsWholly() throws Exception {
    Path first = tmp.newFolder("first").toPath();
    png(first.resolve("one.png"), 200, 100);
    png(first.resolve("deep/two.png"), 200, 100);
    Path second = tmp.newFolder("second").toPath();
    png(second.resolve("three.png"), 200, 100);
    Path out = tmp.getRoot().toPath().resolve("out");
    assertEquals(0, Cli.run("images", "--input=" + first, "--output=" + out, "--width=32", "--height=32", "--npy").code());
    Cli.Result r = Cli.run("images", "--input=" + second, "--output=" + out, "--width=16", "--height=16");
    assertEquals(r.err(), 0, r.code());
    List<String> left = new ArrayList<>(files(out));
    left.remove(OutputLock.LOCK);
    assertEquals(List.of(ImagesJob.FAILURES, "images/three.png", ImagesJob.MANIFEST, ImagesJob.SUMMARY), left);
    BufferedImage thumb = ImageIO.read(out.resolve("images/three.png").toFile());
    assertEquals(16, thumb.getWidth());
    assertThat(Files.readAllLines(out.resolve(ImagesJob.MANIFEST)), hasItem(startsWith("three.png,")));

    // A folder holding an images/ no run of ours wrote is not ours to clear.
    Path foreign = tmp.newFolder("foreign").toPath();
    png(foreign.resolve("images/keep.png"), 10, 10);
    Cli.Result refused = Cli.run("images", "--input=" + second, "--output=" + foreign);
    assertEquals(2, refused.code());
    assertThat(refused.err(), containsString("not ours to replace"));
    assertThat(files(foreign.resolve("images")), hasItem("keep.png"));
    assertThat(failures(out).keySet(), empty());
  }
}
