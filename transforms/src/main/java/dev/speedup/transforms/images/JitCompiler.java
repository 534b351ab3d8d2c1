package dev.speedup.transforms.images;

/**
 * Which JIT compiler runs this JVM's hot code, for the few loops written two ways. HotSpot's quick compiler
 * (C1, alone under {@code bin/speedup}'s {@code -XX:TieredStopAtLevel=1}) makes conditional moves of
 * conditional expressions and compiles a byte loop a byte at a time; its optimising compiler (C2: plain
 * {@code java -jar}, Maven, Flink) makes branches of the former, which mispredict on photos, and vectorises
 * the latter. So a loop can have a form for each, measured in docs/benchmarks.md.
 */
final class JitCompiler {
  private JitCompiler() {}

  /** True where C1 alone compiles. */
  static final boolean QUICK_ONLY =
      quickOnly(VmOptions.value("TieredCompilation"), VmOptions.value("TieredStopAtLevel"), VmOptions.value("CompilationMode"));

  /** From the options' values (null: unknown, read as the defaults, under which C2 compiles hot code). */
  static boolean quickOnly(String tieredCompilation, String tieredStopAtLevel, String compilationMode) {
    if ("quick-only".equals(compilationMode)) {
      return true;
    }
    if ("false".equals(tieredCompilation) || tieredStopAtLevel == null) {
      return false; // C2 alone, or nothing known
    }
    try {
      int level = Integer.parseInt(tieredStopAtLevel);
      return level >= 1 && level <= 3;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
