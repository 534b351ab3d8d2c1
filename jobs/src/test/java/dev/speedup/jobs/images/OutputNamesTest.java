package dev.speedup.jobs.images;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class OutputNamesTest {
  @Test
  public void pathsCannotEscapeOrCarryOddCharacters() {
    assertEquals("__/__/etc/passwd", OutputNames.safeRelative("../../etc/passwd"));
    assertEquals("etc/passwd", OutputNames.safeRelative("/etc/passwd"));
    assertEquals("a/b/c.jpeg", OutputNames.safeRelative("a\\b\\.\\c.jpeg"));
    assertEquals("a_b_c_.jpeg", OutputNames.safeRelative("a:b*c?.jpeg"));
    assertEquals("_...", OutputNames.safeRelative("..."));
    assertEquals("naïve x-ray (1).jpeg", OutputNames.safeRelative("naïve x-ray (1).jpeg"));
    assertEquals("_", OutputNames.safeRelative(""));
    assertEquals("a_b.jpeg", OutputNames.safeRelative("a@b.jpeg"));
    for (String odd : List.of("../x", "/abs/y", "a/../../z", "c:\\win\\w", "\u0000nul", "..", "./.")) {
      String safe = OutputNames.safeRelative(odd);
      assertThat(odd, safe, not(startsWith("/")));
      for (String part : safe.split("/")) {
        assertThat(odd, part, not(anyOf(equalTo(".."), equalTo("."), equalTo(""))));
      }
      assertThat(odd, safe, not(containsString("@")));
    }
  }

  @Test
  public void extensionsBecomePng() {
    assertEquals("a/IM-0001-0001.png", OutputNames.pngName("a/IM-0001-0001.jpeg"));
    assertEquals("a/noext.png", OutputNames.pngName("a/noext"));
    assertEquals("a.b/.hidden.png", OutputNames.pngName("a.b/.hidden"));
  }

  @Test
  public void inputsSharingANameAreAllKeptDeterministically() {
    Map<String, String> names = OutputNames.assign(List.of("d/x.png", "d/x.jpeg", "d/x.gif", "d/y.jpeg", "d/x@2.jpeg"));
    assertEquals("d/x@2.png", names.get("d/x.jpeg"));
    assertEquals("d/x.png", names.get("d/x.gif"));
    assertEquals("d/x@3.png", names.get("d/x.png"));
    assertEquals("d/y.png", names.get("d/y.jpeg"));
    assertEquals("d/x_2.png", names.get("d/x@2.jpeg")); // '@' is sanitised away, so no clash
    assertEquals(names.size(), names.values().stream().distinct().count());
  }
}
