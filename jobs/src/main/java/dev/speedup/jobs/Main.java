package dev.speedup.jobs;

import dev.speedup.jobs.cli.Args;
import dev.speedup.jobs.cli.ChildJvm;
import dev.speedup.jobs.cli.FlinkTarget;
import dev.speedup.jobs.compare.CompareJob;
import dev.speedup.jobs.cli.UsageException;
import dev.speedup.jobs.fetch.FetchJob;
import dev.speedup.jobs.fixtures.ServeFixtures;
import dev.speedup.jobs.images.ImagesJob;
import dev.speedup.jobs.images.MakeImages;
import dev.speedup.transforms.BeamFiles;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;

/** {@code speedup COMMAND [flags]}: the command-line entry point of the jar and of {@code mvn exec:java}. */
public final class Main {
  /** Exit code of a bad command line. */
  public static final int USAGE = dev.speedup.jobs.cli.ExitCode.USAGE;

  private static final String USAGE_TEXT =
      "usage: speedup COMMAND [@run-configs/MODE.args] [--flag=value ...]\n\n"
          + "commands:\n"
          + "  compare          run the workloads under each mode and parallelism; report speedup and Amdahl's law\n"
          + "  fetch            fetch the air-temperature API for many dates (network I/O workload)\n"
          + "  images           resize every image of a folder to 64x64 (image workload)\n"
          + "  serve-fixtures   run the API stand-in in the foreground on 127.0.0.1\n"
          + "  make-images      write the X-ray-like fixture image corpus\n\n"
          + "COMMAND --help lists a command's flags and defaults.\n\n"
          + dev.speedup.jobs.cli.ExitCode.HELP;

  private Main() {}

  public static void main(String[] args) {
    dev.speedup.jobs.cli.OutOfMemory.exitOnUncaught(System.err);
    dev.speedup.jobs.cli.StartupWarmup.begin(args.length > 0 ? args[0] : "");
    int code = run(Arrays.asList(args), System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /** Runs a command; returns the process exit code (see {@link dev.speedup.jobs.cli.ExitCode}). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
      (args.isEmpty() ? err : out).println(USAGE_TEXT);
      return args.isEmpty() ? USAGE : 0;
    }
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    boolean help = rest.contains("--help") || rest.contains("-h");
    try {
      if (!help && ChildJvm.inIsolatedClassLoader() && (command.equals("fetch") || command.equals("images"))
          && Args.namesFlinkRunner(rest)) {
        // Under mvn exec:java, Flink's embedded cluster cannot see Flink's own classes: run in a JVM of its own.
        return ChildJvm.likeThisOne().runInheritingIo(args);
      }
      switch (command) {
        case "compare":
          if (help) {
            out.print(CompareJob.help());
            return 0;
          }
          return CompareJob.run(rest, out, err);
        case "fetch":
          if (help) {
            out.print(FetchJob.help());
            return 0;
          }
          return FetchJob.run(rest, out, err);
        case "images":
          if (help) {
            out.print(ImagesJob.help());
            return 0;
          }
          return ImagesJob.run(rest, out, err);
        case "make-images":
          if (help) {
            out.print(MakeImages.help());
            return 0;
          }
          return MakeImages.run(rest, out, err);
        case "serve-fixtures":
          if (help) {
            out.print(ServeFixtures.help());
            return 0;
          }
          return ServeFixtures.run(rest, out, err);
        default:
          err.println("speedup: unknown command '" + command + "'\n\n" + USAGE_TEXT);
          return USAGE;
      }
    } catch (UsageException e) {
      err.println("speedup " + command + ": " + e.getMessage());
      return USAGE;
    } catch (FlinkTarget.RunnerUnavailableException e) {
      err.println("speedup " + command + ": " + e.getMessage());
      return 1;
    } catch (Exception e) {
      // Beam's wrapper only repeats its cause; a file that could not be written already says which and why.
      Throwable shown = e;
      while (shown instanceof Pipeline.PipelineExecutionException && shown.getCause() != null) {
        shown = shown.getCause();
      }
      if (shown instanceof BeamFiles.WriteFailedException) {
        err.println("speedup " + command + ": failed: " + shown.getMessage());
        return 1;
      }
      err.println("speedup " + command + ": failed: " + shown);
      Throwable cause = shown.getCause();
      while (cause != null) {
        err.println("  caused by: " + cause);
        cause = cause.getCause();
      }
      return 1;
    }
  }
}
