package dev.speedup.jobs.cli;

import java.beans.Introspector;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Prints a command's own flags, with their defaults, from its options interface's annotations. */
public final class Help {
  private Help() {}

  public static String of(String command, String summary, Class<?> options, String footer) {
    StringBuilder out = new StringBuilder();
    out.append("usage: speedup ").append(command).append(" [@run-configs/MODE.args] [--flag=value ...]\n\n");
    out.append(summary).append("\n\nflags:\n");
    Method[] getters = options.getDeclaredMethods();
    Arrays.sort(getters, Comparator.comparing(Method::getName));
    for (Method m : getters) {
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
