package dev.speedup.jobs.cli;

import java.io.PrintStream;

/**
 * Ends the process when a thread dies of OutOfMemoryError outside the pipeline's reach (the HTTP client's
 * own threads, say): the fetch it was serving would never complete, and the job would wait for it until
 * every timeout had run out. A clear message and exit 1 instead, at once.
 */
public final class OutOfMemory {
  private OutOfMemory() {}

  // Encoded up front: with the heap full, building the message could fail too.
  private static final byte[] MESSAGE = ("speedup: out of memory; stopping. Give the JVM more heap (JAVA_OPTS=-Xmx...) or keep"
      + " less in flight (--maxInFlight, or fewer workers).\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** Installs the handler for threads without their own; for the process's entry point only. */
  public static void exitOnUncaught(PrintStream err) {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
      if (causedByOutOfMemory(error)) {
        // Printing may itself fail without memory; halting must not depend on it.
        try {
          err.write(MESSAGE, 0, MESSAGE.length);
          err.flush();
        } finally {
          Runtime.getRuntime().halt(ExitCode.JOB_FAILED);
        }
      }
      if (previous != null) {
        previous.uncaughtException(thread, error);
      } else {
        thread.getThreadGroup().uncaughtException(thread, error);
      }
    });
  }

  static boolean causedByOutOfMemory(Throwable t) {
    for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }
}
