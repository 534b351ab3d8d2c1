package dev.speedup.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import org.junit.Test;

public class DurationsTest {
  @Test
  public void readsShortAndIsoForms() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(2), Durations.parse("2s"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofMinutes(1), Durations.parse("1m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofSeconds(2), Durations.parse("PT2S"));
    assertEquals(Duration.ofSeconds(2), Durations.parse("pt2s"));
  }

  @Test
  public void refusesOtherTextNamingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
    assertThat(e.getMessage(), containsString("'soon'"));
    assertThat(e.getMessage(), containsString("500ms"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 parsecs"));
  }

  @Test
  public void formatsShortest() {
    assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
    assertEquals("2s", Durations.format(Duration.ofSeconds(2)));
    assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
    assertEquals("3m", Durations.format(Duration.ofMinutes(3)));
  }
}
