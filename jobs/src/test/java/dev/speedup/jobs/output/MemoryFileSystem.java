package dev.speedup.jobs.output;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A second Beam filesystem for tests, {@code mem://}: files held in this JVM (the DirectRunner's workers share
 * it), each appearing whole when its channel closes, as on an object store. Exact names only, no globs. A
 * file whose path holds {@code /full/} cannot be written: its channel fails as a full disk does.
 */
public final class MemoryFileSystem extends FileSystem<MemoryFileSystem.Id> {
  static final String SCHEME = "mem";
  private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();

  /** Every file held, by name, in name order. */
  static Map<String, byte[]> files() {
    return new TreeMap<>(FILES);
  }

  static void clear() {
    FILES.clear();
  }

  /** A name on {@code mem://}: a file, or a folder ending in '/'. */
  record Id(String path, boolean isDirectory) implements ResourceId {
    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
      if (!isDirectory) {
        throw new IllegalStateException("cannot resolve " + other + " against the file " + path);
      }
      boolean folder = options == ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY;
      return new Id(path + other + (folder && !other.endsWith("/") ? "/" : ""), folder);
    }

    @Override
    public ResourceId getCurrentDirectory() {
      return isDirectory ? this : new Id(path.substring(0, path.lastIndexOf('/') + 1), true);
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public @Nullable String getFilename() {
      String name = path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
      return name.isEmpty() ? null : name;
    }

    @Override
    public String toString() {
      return path;
    }
  }

  @Override
  protected List<MatchResult> match(List<String> specs) {
    List<MatchResult> results = new ArrayList<>();
    for (String spec : specs) {
      byte[] content = FILES.get(spec);
      results.add(content == null
          ? MatchResult.create(MatchResult.Status.NOT_FOUND, new FileNotFoundException(spec))
          : MatchResult.create(MatchResult.Status.OK, List.of(MatchResult.Metadata.builder()
              .setResourceId(new Id(spec, false)).setSizeBytes(content.length).setIsReadSeekEfficient(false).setLastModifiedMillis(0).build())));
    }
    return results;
  }

  @Override
  protected WritableByteChannel create(Id id, CreateOptions options) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WritableByteChannel buffer = Channels.newChannel(bytes);
    return new WritableByteChannel() {
      @Override
      public int write(ByteBuffer src) throws IOException {
        if (id.path().contains("/full/")) {
          throw new IOException("No space left on device");
        }
        return buffer.write(src);
      }

      @Override
      public boolean isOpen() {
        return buffer.isOpen();
      }

      @Override
      public void close() throws IOException {
        if (buffer.isOpen()) {
          buffer.close();
          FILES.put(id.path(), bytes.toByteArray());
        }
      }
    };
  }

  @Override
  protected ReadableByteChannel open(Id id) throws IOException {
    byte[] content = FILES.get(id.path());
    if (content == null) {
      throw new FileNotFoundException(id.path());
    }
    return Channels.newChannel(new java.io.ByteArrayInputStream(content));
  }

  @Override
  protected void copy(List<Id> sources, List<Id> targets) throws IOException {
    for (int i = 0; i < sources.size(); i++) {
      byte[] content = FILES.get(sources.get(i).path());
      if (content == null) {
        throw new FileNotFoundException(sources.get(i).path());
      }
      FILES.put(targets.get(i).path(), content);
    }
  }

  @Override
  protected void rename(List<Id> sources, List<Id> targets, MoveOptions... options) throws IOException {
    copy(sources, targets);
    delete(sources);
  }

  @Override
  protected void delete(Collection<Id> ids) {
    ids.forEach(id -> FILES.remove(id.path()));
  }

  @Override
  protected Id matchNewResource(String spec, boolean isDirectory) {
    if (!spec.startsWith(SCHEME + "://")) {
      throw new IllegalArgumentException("not a " + SCHEME + ":// name: " + spec);
    }
    return new Id(isDirectory && !spec.endsWith("/") ? spec + "/" : spec, isDirectory);
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }

  /** Found by Beam's FileSystems through the test class path's META-INF/services. */
  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(@Nullable PipelineOptions options) {
      return List.of(new MemoryFileSystem());
    }
  }
}
