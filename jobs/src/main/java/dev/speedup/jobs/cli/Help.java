package dev.speedup.jobs.cli;

import java.beans.Introspector;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Prints a command's own flags, with their defaults, from its options interface's annotations. */
public final class Help {
  private Help() {}

  public static String of(String command, String summary, Class<?> options, String footer) {
    StringBuilder out = new StringBuilder();
    // Mode files set runner flags; only the jobs that run a pipeline take them.
    String modes = ModeOptions.class.isAssignableFrom(options) ? " [@run-configs/MODE.args]" : "";
    out.append("usage: speedup ").append(command).append(modes).append(" [--flag=value ...]\n\n");
    out.append(summary).append("\n\nflags:\n");
    for (Method m : ownFlags(options)) {
      if (!m.getName().startsWith("get") && !m.getName().startsWith("is")) {
        continue;
      }
      String name = Introspector.decapitalize(m.getName().substring(m.getName().startsWith("get") ? 3 : 2));
      Description d = m.getAnnotation(Description.class);
      out.append(String.format("  --%-18s %s%n", name, d == null ? "" : d.value()));
      String def = defaultOf(m);
      if (def != null) {
        out.append(String.format("  %-20s (default: %s)%n", "", def));
      }
    }
    if (footer != null && !footer.isEmpty()) {
      out.append('\n').append(footer).append('\n');
    }
    return out.toString();
  }

  /**
   * The getters of {@code options} and of the project's interfaces it extends (not Beam's own, which
   * are many), the most specific declaration of each flag, sorted by name.
   */
  private static Collection<Method> ownFlags(Class<?> options) {
    Map<String, Method> byName = new TreeMap<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(options));
    while (!todo.isEmpty()) {
      Class<?> type = todo.removeFirst();
      if (!type.getName().startsWith("dev.speedup.")) {
        continue;
      }
      for (Method m : type.getDeclaredMethods()) {
        byName.putIfAbsent(m.getName(), m);
      }
      todo.addAll(Arrays.asList(type.getInterfaces()));
    }
    return byName.values();
  }

  private static String defaultOf(Method m) {
    for (Annotation a : m.getAnnotations()) {
      if (a.annotationType().getEnclosingClass() == Default.class) {
        try {
          return String.valueOf(a.annotationType().getMethod("value").invoke(a));
        } catch (ReflectiveOperationException e) {
          return null;
        }
      }
    }
    return null;
  }
}
