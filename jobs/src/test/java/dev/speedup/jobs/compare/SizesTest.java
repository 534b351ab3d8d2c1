package dev.speedup.jobs.compare;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.speedup.jobs.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SizesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

  private Path folderOf(int files) throws Exception {
    Path root = tmp.newFolder("mine").toPath();
    for (int i = 0; i < files; i++) {
      Path f = root.resolve((i % 2 == 0 ? "NORMAL/" : "PNEUMONIA/") + String.format("img-%02d.jpeg", i));
      Files.createDirectories(f.getParent());
      Files.write(f, new byte[] {(byte) i});
    }
    Files.createDirectories(root.resolve("__MACOSX"));
    Files.write(root.resolve("__MACOSX/._img-00.jpeg"), new byte[] {0}); // junk: neither counted nor linked
    return root;
  }

  @Test
  public void withInputTheModelIsFittedOnAQuarterAndAHalfAndCheckedOnAll() throws Exception {
    Path mine = folderOf(20);
    CompareSettings s = CompareSettings.parse(List.of("--workloads=images", "--input=" + mine));
    Sizes z = Sizes.plan(s, tmp.getRoot().toPath().resolve("inputs"), QUIET);
    assertEquals(List.of(5L, 10L), z.fit("images"));
    assertEquals(20, z.check("images"));
    assertEquals(mine, z.images(20));
    for (long n : z.fit("images")) {
      List<Path> linked = Sizes.files(z.images(n));
      assertEquals(n, linked.size());
      assertTrue("links to the user's own files", linked.stream().allMatch(Files::isSymbolicLink));
      // Spread evenly over the folder, so both labels are in every subset.
      assertThat(linked.stream().map(p -> p.getParent().getFileName().toString()).distinct().sorted().toList(),
          contains("NORMAL", "PNEUMONIA"));
    }
    assertThat(z.notes().get(0), containsString("fitted on [5, 10] of the 20 files"));
  }

  @Test
  public void fetchSizesAreMultiplesOfTheDaysAndTheCheckIsLarger() {
    CompareSettings s = CompareSettings.parse(List.of("--workloads=fetch", "--days=15", "--sizes=1,4"));
    Sizes z = sizesOf(s);
    assertEquals(List.of(15L, 60L), z.fit("fetch"));
    assertEquals(90, z.check("fetch"));
  }

  @Test
  public void aFolderTooSmallToSplitIsAUsageError() throws Exception {
    Path mine = folderOf(3);
    CompareSettings s = CompareSettings.parse(List.of("--workloads=images", "--input=" + mine));
    UsageException e = assertThrows(UsageException.class, () -> Sizes.plan(s, tmp.getRoot().toPath().resolve("inputs"), QUIET));
    assertThat(e.getMessage(), allOf(containsString("--input"), containsString("at least 4 images")));
  }

  private Sizes sizesOf(CompareSettings s) {
    try {
      return Sizes.plan(s, tmp.getRoot().toPath().resolve("inputs"), QUIET);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
