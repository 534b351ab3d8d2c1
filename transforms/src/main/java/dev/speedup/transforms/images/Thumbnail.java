package dev.speedup.transforms.images;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** One source image's small version, with the source's facts. */
// The default coder, so a user's pipeline needs no setCoder for these elements.
@org.apache.beam.sdk.coders.DefaultCoder(Thumbnail.ThumbnailCoder.class)
@AutoValue
public abstract class Thumbnail {
  /** The source file, as the filesystem names it (a path or URI). */
  public abstract String path();

  /** The source file's size in bytes. */
  public abstract long bytes();

  /** The source format by signature: jpeg, png, gif, bmp, tiff, webp. */
  public abstract String format();

  /** Displayed width and height of the source (after EXIF orientation). */
  public abstract int sourceWidth();

  public abstract int sourceHeight();

  /** Channels and bits per sample as stored in the source. */
  public abstract int sourceChannels();

  public abstract int sourceBits();

  public abstract int width();

  public abstract int height();

  /** 1 (gray) or 3 (RGB). */
  public abstract int channels();

  /** Row-major 8-bit samples, {@code channels} a pixel. */
  @SuppressWarnings("mutable")
  public abstract byte[] pixels();

  /** The thumbnail encoded in the output format (PNG). */
  @SuppressWarnings("mutable")
  public abstract byte[] encoded();

  /** Whether it was made by shrink-on-load (JPEG DC coefficients) rather than a full decode. */
  public abstract boolean reducedOnLoad();

  public static Thumbnail of(String path, long bytes, Thumbnailer.Result r, byte[] encoded) {
    return create(path, bytes, r.format(), r.sourceWidth(), r.sourceHeight(), r.sourceChannels(), r.sourceBits(),
        r.width(), r.height(), r.channels(), r.pixels(), encoded, r.reducedOnLoad());
  }

  /** This thumbnail without its PNG (once written): the source's facts and the pixels. */
  public Thumbnail withoutPng() {
    return create(path(), bytes(), format(), sourceWidth(), sourceHeight(), sourceChannels(), sourceBits(), width(), height(),
        channels(), pixels(), new byte[0], reducedOnLoad());
  }

  /** The source's facts and the thumbnail's size alone: no pixels, no PNG. */
  public Thumbnail facts() {
    return create(path(), bytes(), format(), sourceWidth(), sourceHeight(), sourceChannels(), sourceBits(), width(), height(),
        channels(), new byte[0], new byte[0], reducedOnLoad());
  }

  static Thumbnail create(String path, long bytes, String format, int sw, int sh, int sc, int sb, int w, int h, int c,
      byte[] pixels, byte[] encoded, boolean reduced) {
    return new AutoValue_Thumbnail(path, bytes, format, sw, sh, sc, sb, w, h, c, pixels, encoded, reduced);
  }

  /** A compact, deterministic coder. */
  public static final class ThumbnailCoder extends AtomicCoder<Thumbnail> {
    private static final ThumbnailCoder INSTANCE = new ThumbnailCoder();

    public static ThumbnailCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Thumbnail t, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(t.path(), out);
      VarLongCoder.of().encode(t.bytes(), out);
      StringUtf8Coder.of().encode(t.format(), out);
      for (int v : new int[] {t.sourceWidth(), t.sourceHeight(), t.sourceChannels(), t.sourceBits(), t.width(), t.height(), t.channels()}) {
        VarIntCoder.of().encode(v, out);
      }
      ByteArrayCoder.of().encode(t.pixels(), out);
      ByteArrayCoder.of().encode(t.encoded(), out);
      BooleanCoder.of().encode(t.reducedOnLoad(), out);
    }

    @Override
    public Thumbnail decode(InputStream in) throws IOException {
      String path = StringUtf8Coder.of().decode(in);
      long bytes = VarLongCoder.of().decode(in);
      String format = StringUtf8Coder.of().decode(in);
      int[] v = new int[7];
      for (int i = 0; i < 7; i++) {
        v[i] = VarIntCoder.of().decode(in);
      }
      byte[] pixels = ByteArrayCoder.of().decode(in);
      byte[] encoded = ByteArrayCoder.of().decode(in);
      boolean reduced = BooleanCoder.of().decode(in);
      return create(path, bytes, format, v[0], v[1], v[2], v[3], v[4], v[5], v[6], pixels, encoded, reduced);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
