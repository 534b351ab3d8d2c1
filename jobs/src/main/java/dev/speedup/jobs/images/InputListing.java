package dev.speedup.jobs.images;

import dev.speedup.jobs.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What {@code images} reads: {@code --input} resolved (a folder, a file or a glob on the local filesystem),
 * listed once before the pipeline is built, archive junk left out, each output named up front ({@link Buckets}
 * deals the files to the workers).
 *
 * <p>Every entry the listing meets is accounted for: a regular file (or a link to one) becomes an input; the
 * rest is counted, by kind, in {@link Listed#skipped}: {@code junk} (archive metadata), {@code dangling link},
 * {@code special file} (FIFOs, devices, sockets, and links to them), {@code loop} (a directory link back to a
 * directory above it), {@code repeated directory} (a second way to a directory already listed: links are
 * followed once per real directory), {@code unreadable directory} and {@code unreadable entry}. Names may hold any character,
 * newlines included. A file whose name this JVM cannot name again ({@link #nameSurvives}) is an input that fails at
 * listing ({@link Listed#unnamed}).
 */
final class InputListing {
  private InputListing() {}

  /** Where the inputs are: the folder outputs are named relative to, and which files below it are meant. */
  record Source(Path root, PathMatcher matcher, boolean single) {}

  /**
   * The inputs, where each thumbnail goes when its name is not the plain candidate, what was left out, and the
   * files listed that cannot be opened by their name (each an input that fails, as its path decodes).
   */
  record Listed(List<MatchResult.Metadata> files, Map<String, String> renamed, Map<String, Integer> skipped, List<String> unnamed) {
    int skippedCount() {
      return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Every input: the files to decode and those that failed at listing. */
    long inputs() {
      return files.size() + unnamed.size();
    }
  }

  /** Resolves {@code --input}: an existing folder, an existing file, or a glob such as {@code data/**}{@code /*.jpeg}. */
  static Source resolve(String input) {
    String trimmed = input.trim();
    Path asPath = UsageException.path("input", trimmed).toAbsolutePath().normalize();
    if (Files.isDirectory(asPath)) {
      return new Source(asPath, p -> true, false);
    }
    if (trimmed.contains("*") || trimmed.contains("?") || trimmed.contains("[") || trimmed.contains("{")) {
      Path root = globRoot(trimmed);
      if (!Files.isDirectory(root)) {
        throw UsageException.badValue("input", input, "a glob whose folder part exists (" + root + " does not)");
      }
      String absolute = trimmed.startsWith("/") ? trimmed : Path.of("").toAbsolutePath() + "/" + trimmed;
      return new Source(root, root.getFileSystem().getPathMatcher("glob:" + absolute), false);
    }
    if (Files.isRegularFile(asPath)) {
      return new Source(asPath.getParent(), asPath::equals, true);
    }
    throw UsageException.badValue("input", input, "an existing folder, a file, or a glob such as data/**/*.jpeg");
  }

  /** The folder part of a glob, before its first wildcard. */
  static Path globRoot(String glob) {
    int wild = glob.length();
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int i = glob.indexOf(c);
      if (i >= 0) {
        wild = Math.min(wild, i);
      }
    }
    String prefix = glob.substring(0, wild);
    int slash = prefix.lastIndexOf('/');
    return UsageException.path("input", slash < 0 ? "." : prefix.substring(0, Math.max(1, slash))).toAbsolutePath().normalize();
  }

  /** True for the junk archives carry: macOS folder metadata and AppleDouble files. */
  static boolean isJunk(String relative) {
    String name = relative.substring(relative.lastIndexOf('/') + 1);
    return name.equals(".DS_Store") || name.startsWith("._") || relative.startsWith("__MACOSX/")
        || relative.contains("/__MACOSX/") || name.equals("Thumbs.db") || name.equals(".complete");
  }

  static String relative(String root, String path) {
    String prefix = root.endsWith("/") ? root : root + "/";
    return path.startsWith(prefix) ? path.substring(prefix.length()) : path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * Lists the source: see the class comment for what is an input and what is counted as skipped. Real
   * directories are walked first, in name order, and directory links after them, each followed only if
   * it leads to a directory not listed yet: which path names a file does not depend on directory order.
   */
  static Listed list(Source source) throws IOException {
    Path root = source.root();
    if (source.single()) {
      // One file named on its own: its folder is not walked.
      return single(source);
    }
    Walk walk = new Walk(source);
    walk.seen.add(key(root));
    walk.directory(root);
    while (!walk.links.isEmpty()) {
      Path link = walk.links.remove(0);
      Path target;
      Object k;
      try {
        target = link.toRealPath();
        k = key(target);
      } catch (IOException e) {
        walk.skip("unreadable directory");
        continue;
      }
      if (!walk.seen.add(k)) {
        boolean loop = link.getParent().toRealPath().startsWith(target);
        walk.skip(loop ? "loop" : "repeated directory");
        continue;
      }
      walk.directory(link);
    }
    List<MatchResult.Metadata> files = walk.files;
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    List<String> relatives = new ArrayList<>(files.size());
    for (MatchResult.Metadata m : files) {
      relatives.add(relative(root.toString(), m.resourceId().toString()));
    }
    Map<String, String> renamed = new TreeMap<>();
    OutputNames.assign(relatives).forEach((rel, name) -> {
      if (!name.equals(OutputNames.candidate(rel))) {
        renamed.put(rel, name);
      }
    });
    return new Listed(files, renamed, walk.skipped, walk.unnamed);
  }

  /**
   * Whether the file can be opened by its name as a String, which is how Beam's file systems name a file. A
   * name is bytes to the kernel; the JVM decodes it in its file-name encoding ({@code sun.jnu.encoding},
   * taken from the locale), and a name not valid in it (any non-ASCII name under the C locale, bytes that are
   * not UTF-8 under a UTF-8 one) decodes to another name or to none.
   */
  static boolean nameSurvives(Path file) {
    try {
      return Path.of(file.toString()).equals(file); // compares the bytes
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** Why a file whose name does not survive cannot be read, and what to do. */
  static String unnamedReason() {
    String encoding = System.getProperty("sun.jnu.encoding", "unknown");
    return "cannot open the file: its name is not valid in " + encoding + ", the JVM's file-name encoding (from the locale)"
        + ("UTF-8".equals(encoding) ? " (rename it, e.g. with convmv)" : "; run under a UTF-8 locale, e.g. LC_ALL=C.UTF-8 (bin/speedup does)");
  }

  private static Object key(Path dir) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
    return attrs.fileKey() != null ? attrs.fileKey() : dir.toRealPath();
  }

  /** One listing's state: files found, links to directories still to follow, real directories listed. */
  private static final class Walk {
    final Source source;
    final List<MatchResult.Metadata> files = new ArrayList<>();
    final List<Path> links = new ArrayList<>();
    final Set<Object> seen = new HashSet<>();
    final Map<String, Integer> skipped = new TreeMap<>();
    final List<String> unnamed = new ArrayList<>();

    Walk(Source source) {
      this.source = source;
    }

    void skip(String kind) {
      skipped.merge(kind, 1, Integer::sum);
    }

    /** Lists {@code dir} (a real directory, or a link to one not listed yet) and the real directories below it. */
    void directory(Path dir) {
      List<Path> entries;
      try (java.util.stream.Stream<Path> list = Files.list(dir)) {
        entries = new ArrayList<>(list.toList());
      } catch (IOException | java.io.UncheckedIOException e) {
        skip("unreadable directory");
        return;
      }
      entries.sort(Comparator.comparing(Path::toString));
      for (Path entry : entries) {
        BasicFileAttributes own;
        try {
          own = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          skip("unreadable entry");
          continue;
        }
        if (own.isDirectory()) {
          try {
            if (seen.add(key(entry))) {
              directory(entry);
            } else {
              skip("repeated directory"); // a bind mount or the like
            }
          } catch (IOException e) {
            skip("unreadable directory");
          }
          continue;
        }
        BasicFileAttributes target = own;
        if (own.isSymbolicLink()) {
          try {
            target = Files.readAttributes(entry, BasicFileAttributes.class);
          } catch (IOException e) {
            if (source.matcher().matches(entry)) {
              skip("dangling link");
            }
            continue;
          }
          if (target.isDirectory()) {
            links.add(entry);
            continue;
          }
        }
        if (!source.matcher().matches(entry)) {
          continue;
        }
        if (!target.isRegularFile()) {
          skip("special file");
        } else if (isJunk(relative(source.root().toString(), entry.toString()))) {
          skip("junk");
        } else if (!nameSurvives(entry)) {
          unnamed.add(entry.toString());
        } else {
          files.add(metadata(entry, target));
        }
      }
    }
  }

  private static Listed single(Source source) throws IOException {
    List<MatchResult.Metadata> files = new ArrayList<>();
    try (java.util.stream.Stream<Path> entries = Files.list(source.root())) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (source.matcher().matches(p)) {
          files.add(metadata(p, Files.readAttributes(p, BasicFileAttributes.class)));
        }
      }
    }
    return new Listed(files, Map.of(), Map.of(), List.of());
  }

  private static MatchResult.Metadata metadata(Path file, BasicFileAttributes attrs) {
    return MatchResult.Metadata.builder()
        .setResourceId(FileSystems.matchNewResource(file.toString(), false))
        .setSizeBytes(attrs.size())
        .setIsReadSeekEfficient(true)
        .setLastModifiedMillis(attrs.lastModifiedTime().toMillis())
        .build();
  }
}
