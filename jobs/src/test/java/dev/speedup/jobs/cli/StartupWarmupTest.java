package dev.speedup.jobs.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.Test;

public class StartupWarmupTest {
  @Test
  public void eachWorkloadsWarmUpCompletesWithoutError() {
    // Run on this thread: a library class renamed or a preload that throws would make it false.
    assertTrue("images", StartupWarmup.run(true));
    assertTrue("fetch", StartupWarmup.run(false));
  }

  @Test
  public void itRunsForImagesAndFetchOnADaemonThreadUnlessTurnedOff() throws Exception {
    Optional<Thread> images = StartupWarmup.begin("images", Map.of());
    assertTrue(images.isPresent());
    assertTrue("never holds the process open", images.get().isDaemon());
    images.get().join(120_000); // bounds the test, not a speed
    assertFalse(images.get().isAlive());
    assertTrue(StartupWarmup.begin("fetch", Map.of("SPEEDUP_WARMUP", "1")).isPresent());
    assertEquals(Optional.empty(), StartupWarmup.begin("fetch", Map.of("SPEEDUP_WARMUP", "0")));
    assertEquals(Optional.empty(), StartupWarmup.begin("compare", Map.of()));
    assertEquals(Optional.empty(), StartupWarmup.begin("serve-fixtures", Map.of()));
  }
}
