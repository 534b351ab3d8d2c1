package dev.speedup.transforms.images;

/** This JVM's own settings ({@code -XX:} options), as HotSpot reports them. */
final class VmOptions {
  private VmOptions() {}

  /** The option's value as HotSpot prints it ("1", "true", "quick-only"), or null where it cannot be read. */
  static String value(String name) {
    try {
      com.sun.management.HotSpotDiagnosticMXBean vm =
          java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
      return vm.getVMOption(name).getValue();
    } catch (RuntimeException | LinkageError e) { // another JVM, no jdk.management module, an unknown option
      return null;
    }
  }
}
