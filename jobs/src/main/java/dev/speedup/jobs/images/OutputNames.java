package dev.speedup.jobs.images;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each input's thumbnail goes: deterministic, never outside the output folder, never overwriting.
 * {@code a/b/x.jpeg} becomes {@code a/b/x.png}; when several inputs would share a name (say {@code x.jpeg}
 * and {@code x.png}), the first in path order keeps it and the others get {@code x@2.png}, {@code x@3.png}.
 * Sanitised names never contain {@code @}, so a suffixed name cannot meet another input's name. Names are
 * assigned from the listing, before any file is decoded ({@link #assign}), so they do not depend on which
 * inputs fail.
 */
public final class OutputNames {
  private OutputNames() {}

  /**
   * A relative path made safe: no empty, {@code .} or {@code ..} parts, no absolute start, and only letters,
   * digits, space and {@code . _ - ~ ( ) + ,} kept (anything else becomes {@code _}). A backslash separates
   * folders, as in the names of archives made on Windows once unpacked here.
   */
  public static String safeRelative(String relative) {
    String normal = Normalizer.normalize(relative.replace('\\', '/'), Normalizer.Form.NFC);
    List<String> parts = new ArrayList<>();
    for (String part : normal.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.add("__");
        continue;
      }
      StringBuilder clean = new StringBuilder(part.length());
      part.codePoints().forEach(c -> clean.appendCodePoint(
          Character.isLetterOrDigit(c) || c == ' ' || ".-_~()+,".indexOf(c) >= 0 ? c : '_')); // never '@'
      String p = clean.toString();
      parts.add(p.chars().allMatch(c -> c == '.') ? "_" + p : p);
    }
    return parts.isEmpty() ? "_" : String.join("/", parts);
  }

  /** {@code dir/name.ext} to {@code dir/name.png}; a name without extension gets {@code .png} added. */
  public static String pngName(String safeRelative) {
    int slash = safeRelative.lastIndexOf('/');
    int dot = safeRelative.lastIndexOf('.');
    String stem = dot > slash + 1 ? safeRelative.substring(0, dot) : safeRelative;
    return stem + ".png";
  }

  /** The candidate name of an input: its safe relative path with the extension replaced by .png. */
  public static String candidate(String relativeInput) {
    return pngName(safeRelative(relativeInput));
  }

  /** The name of the {@code index}-th (0-based, in path order) input sharing {@code candidate}. */
  public static String inGroup(String candidate, int index) {
    return index == 0 ? candidate : candidate.substring(0, candidate.length() - 4) + "@" + (index + 1) + ".png";
  }

  /** Input (relative) path to output name, for a set of inputs: the same rule the job applies per group. */
  public static Map<String, String> assign(List<String> relativeInputs) {
    TreeMap<String, List<String>> byCandidate = new TreeMap<>();
    for (String input : new java.util.TreeSet<>(relativeInputs)) {
      byCandidate.computeIfAbsent(candidate(input), k -> new ArrayList<>()).add(input);
    }
    Map<String, String> out = new TreeMap<>();
    byCandidate.forEach((name, inputs) -> {
      for (int i = 0; i < inputs.size(); i++) {
        out.put(inputs.get(i), inGroup(name, i));
      }
    });
    return out;
  }
}
