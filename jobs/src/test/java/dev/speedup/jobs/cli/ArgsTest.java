package dev.speedup.jobs.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ArgsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void argumentFilesExpandInPlaceSkippingCommentsAndBlankLines() throws Exception {
    Path inner = tmp.newFile("inner.args").toPath();
    Files.writeString(inner, "--b=2\n");
    Path outer = tmp.newFile("outer.args").toPath();
    Files.writeString(outer, "# a preset\n--a=1\n\n  @" + inner + "  \n--c=3\n");
    assertEquals(List.of("--x=0", "--a=1", "--b=2", "--c=3", "--y=9"), Args.expand(List.of("--x=0", "@" + outer, "--y=9")));
  }

  @Test
  public void theLastValueOfAFlagWins() {
    assertEquals(List.of("--b=2", "--a=3", "--flag"), Args.lastWins(List.of("--a=1", "--b=2", "--a=3", "--flag")));
    assertEquals("3", Args.valueOf(List.of("--a=1", "--a=3"), "a"));
    assertEquals("true", Args.valueOf(List.of("--flag"), "flag"));
  }

  @Test
  public void missingOrCyclicFilesAndNonFlagsAreUsageErrors() throws Exception {
    UsageException missing = assertThrows(UsageException.class, () -> Args.expand(List.of("@nope.args")));
    assertThat(missing.getMessage(), containsString("@nope.args"));
    Path self = tmp.newFile("self.args").toPath();
    Files.writeString(self, "@" + self + "\n");
    assertThat(assertThrows(UsageException.class, () -> Args.expand(List.of("@" + self))).getMessage(),
        containsString("includes itself"));
    assertThat(assertThrows(UsageException.class, () -> Args.lastWins(List.of("days=3"))).getMessage(),
        containsString("'days=3' is not a flag"));
  }
}
