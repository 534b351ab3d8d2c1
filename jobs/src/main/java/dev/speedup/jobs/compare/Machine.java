package dev.speedup.jobs.compare;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The machine a comparison ran on, as its report states it. */
record Machine(int cores, long memoryBytes, String cpu, String jvm, String os) {
  static Machine current() {
    long memory = -1;
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (java.io.IOException | RuntimeException notLinux) {
      // Keep "unknown CPU".
    }
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        memory,
        cpu,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
  }

  String describe() {
    return String.format(Locale.ROOT, "%d cores (%s), %s memory, %s, %s", cores, cpu,
        memoryBytes > 0 ? String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (1024.0 * 1024 * 1024)) : "unknown", jvm, os);
  }

  Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", cores);
    m.put("memoryBytes", memoryBytes);
    m.put("cpu", cpu);
    m.put("jvm", jvm);
    m.put("os", os);
    return m;
  }
}
