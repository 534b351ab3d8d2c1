package dev.speedup.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Command-line handling shared by every command: {@code @file} expansion, "last flag wins", and Beam's
 * options parsing with errors turned into {@link UsageException}s that name the flag.
 */
public final class Args {
  private static final Pattern MISSING_PROPERTY = Pattern.compile("missing a property named '([^']+)'");

  private Args() {}

  /**
   * Replaces each {@code @path} argument with the flags in that file: one a line, blank lines and
   * {@code #} comments ignored. Files may name other files; a cycle is refused.
   */
  public static List<String> expand(List<String> args) {
    List<String> out = new ArrayList<>();
    expandInto(args, out, new ArrayList<>());
    return out;
  }

  private static void expandInto(List<String> args, List<String> out, List<Path> open) {
    for (String arg : args) {
      if (!arg.startsWith("@")) {
        out.add(arg);
        continue;
      }
      Path file;
      try {
        file = Path.of(arg.substring(1)).toAbsolutePath().normalize();
      } catch (java.nio.file.InvalidPathException e) {
        throw new UsageException("argument file " + arg + " cannot be named in the JVM's file-name encoding, "
            + System.getProperty("sun.jnu.encoding") + " (from the locale); run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8");
      }
      if (open.contains(file)) {
        throw new UsageException("argument file " + arg + " includes itself (through " + open + ")");
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(file);
      } catch (NoSuchFileException e) {
        throw new UsageException("argument file " + arg + " does not exist (looked for " + file + ")");
      } catch (IOException e) {
        throw new UsageException("argument file " + arg + " cannot be read: " + e.getMessage());
      }
      List<String> flags = new ArrayList<>();
      for (String line : lines) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          flags.add(t);
        }
      }
      open.add(file);
      expandInto(flags, out, open);
      open.remove(open.size() - 1);
    }
  }

  /** The flag's name: {@code --days=3} and {@code --days} both give {@code days}. */
  public static String nameOf(String flag) {
    String body = flag.startsWith("--") ? flag.substring(2) : flag;
    int eq = body.indexOf('=');
    return eq < 0 ? body : body.substring(0, eq);
  }

  /** Keeps only the last occurrence of each flag, in the order of those last occurrences. */
  public static List<String> lastWins(List<String> flags) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String flag : flags) {
      if (!flag.startsWith("--") || flag.length() == 2) {
        throw new UsageException("'" + flag + "' is not a flag: flags look like --name=value");
      }
      String name = nameOf(flag);
      byName.remove(name);
      byName.put(name, flag);
    }
    return new ArrayList<>(byName.values());
  }

  /** Whether these flags ({@code @files} not yet expanded) run on Flink: their last {@code --runner} names FlinkRunner. */
  public static boolean namesFlinkRunner(List<String> flags) {
    return String.valueOf(valueOf(lastWins(expand(flags)), "runner")).endsWith("FlinkRunner");
  }

  /** The value of a flag in an already expanded list, or null. */
  public static String valueOf(List<String> flags, String name) {
    String value = null;
    for (String flag : flags) {
      if (nameOf(flag).equals(name)) {
        int eq = flag.indexOf('=');
        value = eq < 0 ? "true" : flag.substring(eq + 1);
      }
    }
    return value;
  }

  /** A duration flag's value ({@code 500ms}, {@code 2s}, {@code 1m}, {@code PT2S}, or {@code 0}), never negative. */
  public static java.time.Duration duration(String flag, String value) {
    try {
      java.time.Duration d = dev.speedup.transforms.Durations.parse("0".equals(value == null ? null : value.trim()) ? "0s" : value);
      if (d.isNegative()) {
        throw new IllegalArgumentException();
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw UsageException.badValue(flag, value, "a duration such as 500ms, 2s, 1m or PT2S");
    }
  }

  /** Expands, de-duplicates and parses into Beam options of type {@code type}. */
  public static <T extends PipelineOptions> T parse(List<String> args, Class<T> type, String command) {
    List<String> flags = lastWins(expand(args));
    PipelineOptionsFactory.register(type);
    if (String.valueOf(valueOf(flags, "runner")).toLowerCase(Locale.ROOT).contains("flink")) {
      PipelineOptionsFactory.register(FlinkPipelineOptions.class);
    }
    try {
      return PipelineOptionsFactory.fromArgs(flags.toArray(new String[0])).withValidation().as(type);
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      Matcher m = MISSING_PROPERTY.matcher(message);
      boolean unknownFlag = m.find();
      if (unknownFlag && registerFlinkOptionsFor(m.group(1))) {
        return parse(args, type, command);
      }
      if (unknownFlag) {
        throw new UsageException(
            "unknown flag --" + m.group(1) + " for " + command + " (see: " + command + " --help)", e);
      }
      for (String flag : flags) {
        try {
          PipelineOptionsFactory.fromArgs(flag).as(type);
        } catch (IllegalArgumentException culprit) {
          int eq = flag.indexOf('=');
          throw UsageException.badValue(nameOf(flag), eq < 0 ? "" : flag.substring(eq + 1), allowedFor(type, nameOf(flag)));
        }
      }
      throw new UsageException(command + ": " + message.replace("\n", " "), e);
    }
  }

  /**
   * The fat jar leaves the Flink runner's options out of Beam's registry (jobs/pom.xml): Beam checks every
   * registered options interface against all the others at start-up, and Flink's large one made every run
   * start later, Flink or not. They are registered when a run asks for them: a Flink runner (above), or a
   * flag only they declare (as when a Flink mode file is given with another runner). From the classpath
   * (tests, mvn exec:java) Beam has registered them already.
   */
  private static boolean registerFlinkOptionsFor(String flag) {
    if (PipelineOptionsFactory.getRegisteredOptions().contains(FlinkPipelineOptions.class)) {
      return false;
    }
    String property = Character.toUpperCase(flag.charAt(0)) + flag.substring(1);
    for (java.lang.reflect.Method getter : FlinkPipelineOptions.class.getMethods()) {
      if (getter.getParameterCount() == 0 && (getter.getName().equals("get" + property) || getter.getName().equals("is" + property))) {
        PipelineOptionsFactory.register(FlinkPipelineOptions.class);
        return true;
      }
    }
    return false;
  }

  /** What a flag of this options type accepts, from its getter's return type. */
  private static String allowedFor(Class<?> type, String name) {
    String getter = "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    String is = "is" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    for (java.lang.reflect.Method m : type.getMethods()) {
      if (m.getParameterCount() == 0 && (m.getName().equals(getter) || m.getName().equals(is))) {
        Class<?> r = m.getReturnType();
        if (r == int.class || r == Integer.class || r == long.class || r == Long.class) {
          return "a whole number";
        }
        if (r == double.class || r == Double.class || r == float.class || r == Float.class) {
          return "a number";
        }
        if (r == boolean.class || r == Boolean.class) {
          return "true or false";
        }
        if (r.isEnum()) {
          return "one of " + java.util.Arrays.toString(r.getEnumConstants());
        }
        if (java.util.List.class.isAssignableFrom(r)) {
          return "a comma-separated list";
        }
        return "a value of type " + r.getSimpleName();
      }
    }
    return "see --help";
  }
}
