package dev.speedup.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Runs the command line in-process, as a user would from a shell, and captures what it says. */
public final class Cli {
  private Cli() {}

  /** Exit code, standard output and standard error of one command. */
  public record Result(int code, String out, String err) {}

  public static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(Arrays.asList(args), new PrintStream(out, true), new PrintStream(err, true));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
