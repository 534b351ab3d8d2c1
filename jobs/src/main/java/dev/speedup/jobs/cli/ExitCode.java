package dev.speedup.jobs.cli;

/** The exit codes of every command, for scripts: one definition, printed by {@code --help} and the README. */
public final class ExitCode {
  /** Every input succeeded (or no more failed than {@code --maxFailures} allows). */
  public static final int OK = 0;
  /** The job itself failed: it did not finish, or its counts do not add up. */
  public static final int JOB_FAILED = 1;
  /** A bad command line: the message names the flag, the value and what is allowed. */
  public static final int USAGE = 2;
  /** The job finished and accounted for every input, but more inputs failed than {@code --maxFailures} allows. */
  public static final int SOME_FAILED = 3;

  /** The help text's section on exit codes. */
  public static final String HELP =
      "exit codes: 0 every input succeeded (or no more failed than --maxFailures), 3 more inputs failed than\n"
          + "--maxFailures allows (the outputs are complete; failures.jsonl says which and why), 1 the job itself\n"
          + "failed, 2 a bad command line.";

  private ExitCode() {}
}
