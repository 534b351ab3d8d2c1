package dev.speedup.transforms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BeamFilesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void writesWholeFilesAndNoTemporaryStaysBehind() throws Exception {
    Path dir = tmp.newFolder("out").toPath();
    BeamFiles.writeAtomically(dir.resolve("a.csv").toString(), "x,y\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("x,y\n", Files.readString(dir.resolve("a.csv")));
    assertEquals(List.of("a.csv"), names(dir));
  }

  @Test
  public void aWriteThatFailsLeavesTheEarlierFileAndNoTemporaryAndNamesTheFile() throws Exception {
    Path dir = tmp.newFolder("out").toPath();
    String target = dir.resolve("manifest.csv").toString();
    BeamFiles.writeAtomically(target, "earlier\n".getBytes(StandardCharsets.UTF_8));

    BeamFiles.WriteFailedException e = assertThrows(BeamFiles.WriteFailedException.class, () -> BeamFiles.writeAtomically(target, os -> {
      os.write(new byte[100_000]);
      // What the filesystem says when the disk fills: no file named.
      throw new IOException("No space left on device");
    }));

    assertEquals("cannot write " + target + ": No space left on device", e.getMessage());
    assertEquals("No space left on device", e.reason());
    assertEquals("earlier\n", Files.readString(dir.resolve("manifest.csv")));
    assertEquals(List.of("manifest.csv"), names(dir));
  }

  @Test
  public void aFolderThatIsAFileIsNamedAsTheFileThatCouldNotBeWritten() throws Exception {
    Path notAFolder = tmp.newFile("plain").toPath();
    String target = notAFolder.resolve("a.png").toString();

    BeamFiles.WriteFailedException e =
        assertThrows(BeamFiles.WriteFailedException.class, () -> BeamFiles.writeAtomically(target, new byte[] {1}));

    // The reason is the filesystem's, without the temporary sibling's name it would otherwise lead with.
    assertEquals("cannot write " + target + ": " + e.reason(), e.getMessage());
    assertEquals(false, e.reason().contains(".tmp-"));
  }

  @Test
  public void removesOnlyTheTemporariesAWorkerLeftWhenItDied() throws Exception {
    Path dir = tmp.newFolder("out").toPath();
    Path nested = Files.createDirectories(dir.resolve("images/chest_xray/train"));
    BeamFiles.writeAtomically(nested.resolve("kept.png").toString(), new byte[] {1});
    // What writeAtomically leaves when the process is killed between create and rename.
    Files.write(nested.resolve(".tmp-3f1c9a52-0b7e-4d55-9a61-2b8f0c7d9e10"), new byte[] {1});
    Files.write(dir.resolve(".tmp-00000000-1111-2222-3333-444444444444"), new byte[] {2});
    // Look-alikes a user might own: not ours, left alone.
    Files.write(dir.resolve(".hidden"), new byte[] {3});
    Files.write(dir.resolve("notes.tmp-today"), new byte[] {4});

    assertEquals(2, BeamFiles.removeLeftoverTemporaries(dir));
    assertEquals(List.of(".hidden", "images/chest_xray/train/kept.png", "notes.tmp-today"), names(dir));
    assertEquals(0, BeamFiles.removeLeftoverTemporaries(dir));
    assertEquals(0, BeamFiles.removeLeftoverTemporaries(dir.resolve("missing")));
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
