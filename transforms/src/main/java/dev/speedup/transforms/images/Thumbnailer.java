package dev.speedup.transforms.images;

import dev.speedup.transforms.FailureKind;
import java.io.Serializable;

/**
 * Turns the bytes of one image file into a small image, safely: the format is told by its signature, not
 * its name; width and height come from the header and are checked against a pixel cap before any pixel is
 * decoded; a decoder warning (e.g. a truncated JPEG, which ImageIO would otherwise fill with grey) makes
 * the file a failure. JPEGs at least 3 times the target size are reduced on load from their DCT
 * coefficients ({@link JpegReducedReader}; CMYK ones too), PNGs are read as a stream of rows ({@link PngStream}), WebPs are
 * decoded small by libwebp ({@link WebpThumbnail}); everything else is decoded whole by ImageIO with the
 * TwelveMonkeys plugins ({@link ImageIoDecode}). Reduction is by area averaging; 16-bit samples are scaled
 * to 8 bits, alpha is composed on white, EXIF orientation is applied (JPEG, PNG, WebP: {@link ExifOrientation}).
 *
 * <p>Plain Java, no Beam: {@link ImageThumbnails} wires it into a DoFn.
 */
public final class Thumbnailer {
  /** How the source is fitted to the target size. */
  public enum Fit {
    /** Scaled to exactly the target size, aspect ratio ignored (as the talk's {@code resize((64, 64))}). */
    STRETCH,
    /** Scaled to fit inside, centred, the rest filled black. */
    CONTAIN,
    /** Scaled to fill, centred, the overflow cropped. */
    COVER
  }

  /** Output colour. */
  public enum Color {
    GRAY(1),
    RGB(3);

    final int channels;

    Color(int channels) {
      this.channels = channels;
    }
  }

  /** What to make. */
  public record Settings(int width, int height, Fit fit, Color color, long maxPixels) implements Serializable {}

  /**
   * The heap a thumbnail of {@code s} holds at most while it is made and written, beside its decoder's: the area
   * sums (a float a sample) with its bytes and their reoriented copy, or later those bytes with the PNG's growing
   * output and its copy.
   */
  public static long thumbnailBytes(Settings s) {
    long samples = (long) s.width() * s.height() * s.color().channels;
    return 6 * samples + 64 * 1024;
  }

  /** The thumbnail and the source's facts. {@code pixels}: row-major, {@code channels} bytes a pixel. */
  public record Result(
      String format, int sourceWidth, int sourceHeight, int sourceChannels, int sourceBits,
      int width, int height, int channels, byte[] pixels, boolean reducedOnLoad) {}

  /** A file that yields no thumbnail, with the kind and a stable reason. */
  public static final class ImageFailure extends Exception {
    private final FailureKind kind;

    public ImageFailure(FailureKind kind, String message) {
      super(message);
      this.kind = kind;
    }

    public FailureKind kind() {
      return kind;
    }
  }

  private Thumbnailer() {}

  public static Result thumbnail(byte[] data, Settings s) throws ImageFailure {
    if (data.length == 0) {
      throw new ImageFailure(FailureKind.EMPTY_FILE, "empty file (0 bytes)");
    }
    String format = ImageFormats.sniff(data);
    if (format == null) {
      String other = ImageFormats.unsupported(data);
      if (other != null) {
        throw new ImageFailure(FailureKind.UNSUPPORTED_FORMAT, other + " images are not supported");
      }
      throw new ImageFailure(FailureKind.NOT_AN_IMAGE, "not an image: no known image signature in the first bytes");
    }
    try {
      int orientation = 1;
      if (format.equals("jpeg")) {
        JpegFrame frame = JpegFrame.parse(data);
        Result fast = reduceJpegOnLoad(data, frame, s);
        if (fast != null) {
          return fast;
        }
        if (frame.progressive()) {
          JpegProgressive.checkScans(data, JpegFrame.parse(data)); // the headers read afresh: the reader may have read some
        }
        orientation = frame.orientation;
      } else if (format.equals("png")) {
        orientation = ExifOrientation.ofPng(data);
        PngStream.Header png = PngStream.header(data);
        if (png != null) {
          return pngStreamed(data, png, s, orientation);
        }
      } else if (format.equals("webp")) {
        orientation = ExifOrientation.ofWebp(data);
        if (WebpDecoder.available()) {
          return WebpThumbnail.of(data, s, orientation);
        }
      }
      return ImageIoDecode.thumbnail(format.equals("pnm") ? NetpbmBilevel.readable(data) : data, format, orientation, s);
    } catch (JpegReducedReader.CorruptException e) {
      throw new ImageFailure(FailureKind.CORRUPT_IMAGE, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageFailure(FailureKind.UNREADABLE, "interrupted while waiting for memory to decode in");
    } catch (RuntimeException e) {
      // A decoder's own bug on a crafted file must cost that file only.
      throw new ImageFailure(FailureKind.CORRUPT_IMAGE, "the " + format + " decoder failed: " + e);
    }
  }

  /** The same, never reducing on load: the reference the shrink-on-load path is checked against. */
  public static Result thumbnailFully(byte[] data, Settings s) throws ImageFailure {
    String format = ImageFormats.sniff(data);
    if (format == null) {
      throw new ImageFailure(FailureKind.NOT_AN_IMAGE, "not an image");
    }
    try {
      int orientation = switch (format) {
        case "jpeg" -> jpegOrientation(data);
        case "png" -> ExifOrientation.ofPng(data);
        case "webp" -> ExifOrientation.ofWebp(data);
        default -> 1;
      };
      return ImageIoDecode.thumbnail(format.equals("pnm") ? NetpbmBilevel.readable(data) : data, format, orientation, s);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageFailure(FailureKind.UNREADABLE, "interrupted while waiting for memory to decode in");
    }
  }

  static void checkPixels(long width, long height, Settings s) throws ImageFailure {
    if (width <= 0 || height <= 0) {
      throw new ImageFailure(FailureKind.CORRUPT_IMAGE, "the header declares an empty image (" + width + "x" + height + ")");
    }
    if (width * height > s.maxPixels()) {
      throw new ImageFailure(FailureKind.TOO_MANY_PIXELS,
          "the header declares " + width + "x" + height + " = " + width * height + " pixels, over the cap of " + s.maxPixels());
    }
  }

  /**
   * The JPEG reduced on load, or null when it needs a full decode. Variants no decoder here reads fail as
   * UNSUPPORTED_FORMAT (ImageIO would report them as damage).
   */
  private static Result reduceJpegOnLoad(byte[] data, JpegFrame f, Settings s)
      throws ImageFailure, JpegReducedReader.CorruptException, InterruptedException {
    checkPixels(f.width, f.height, s);
    if (f.precision != 8) {
      throw new ImageFailure(FailureKind.UNSUPPORTED_FORMAT, f.precision + "-bit JPEG samples are not supported (8-bit only)");
    }
    if (f.exotic()) {
      throw new ImageFailure(FailureKind.UNSUPPORTED_FORMAT, "arithmetic-coded and lossless JPEGs are not supported");
    }
    JpegReducedReader.Header h = JpegReducedReader.header(f);
    boolean swap = h.orientation() >= 5;
    int tw = swap ? s.height() : s.width();
    int th = swap ? s.width() : s.height();
    // The coarsest reduction that still leaves each output pixel at least 1.5 cells (8x8 block means,
    // else 4x4 quadrant means, else 2x2 cells): closer to 1, a partly covered cell's mean stands in for
    // detail it does not have (docs/benchmarks.md has the differences measured against a full decode).
    // And a subsampled component the output uses has at least 1.25 cells an output pixel: its cells are
    // larger by its sampling ratio (4:2:0 twice as large each way), and with fewer cells than output pixels
    // a colour thumbnail's chroma was smeared across its neighbours (docs/benchmarks.md). Not 1.5 as for
    // luma: ImageNet's 500x375 4:2:0 photos have 1.46 at 1/4 and stay reduced, within the same closeness.
    boolean chromaUsed = f.components.length > 1 && (s.color() == Color.RGB || !f.ycc());
    int rx = chromaUsed ? f.maxH() / minSampling(f, true) : 1;
    int ry = chromaUsed ? f.maxV() / minSampling(f, false) : 1;
    int scale = 0;
    for (int candidate : new int[] {8, 4, 2}) {
      if (fitsCells(h, tw, th, candidate) && 4L * h.width() >= 5L * candidate * rx * tw && 4L * h.height() >= 5L * candidate * ry * th) {
        scale = candidate;
        break;
      }
    }
    if (scale == 0) {
      return null;
    }
    // The entropy-coded data is copied once; each cell takes a float in the decoder's grid and one in its
    // plane for luma, nine for colour (and its conversion), about fourteen for CMYK's four components. A
    // progressive file at 1/4 or 1/2 also holds its AC coefficients (2 bytes a pixel a component at most)
    // until its last scan.
    int floatsPerCell = f.components.length == 4 ? 14 : s.color() == Color.RGB ? 9 : 2;
    long cells = (long) f.width * f.height / ((long) scale * scale);
    long coefficientBytes = f.progressive() && scale < 8 ? 2L * f.width * f.height * f.components.length : 0;
    long needs = data.length + cells * 4 * floatsPerCell + coefficientBytes;
    if (needs > MemoryBudget.decoding().capacity()) {
      return null; // more than the budget alone (a long, narrow image): the full decoder subsamples it
    }
    float[][] planes;
    // Held until the cells have been averaged: they are the bulk of what was admitted.
    try (MemoryBudget.Lease lease = MemoryBudget.decoding().acquire(needs)) {
      planes = fitReduced(JpegReducedReader.read(data, f, scale, s.color() == Color.RGB), tw, th, s.fit());
    }
    if (planes == null) {
      return null;
    }
    byte[] pixels = ExifOrientation.apply(quantize(planes, tw * th), tw, th, planes.length, h.orientation());
    return new Result("jpeg", swap ? h.height() : h.width(), swap ? h.width() : h.height(), h.components(),
        h.precision(), s.width(), s.height(), planes.length, pixels, true);
  }

  private static float[][] fitReduced(JpegReducedReader.Reduced r, int tw, int th, Fit fit) {
    return r == null ? null : fit(r.planes(), r.cellsX(), r.cellsY(), r.cellWidth(), r.cellHeight(), r.width(), r.height(), tw, th, fit);
  }

  /** A PNG decoded row by row into the accumulator: two rows held, whatever the image's size. */
  private static Result pngStreamed(byte[] data, PngStream.Header h, Settings s, int orientation)
      throws ImageFailure, JpegReducedReader.CorruptException {
    checkPixels(h.width(), h.height(), s);
    boolean swap = orientation >= 5;
    int tw = swap ? s.height() : s.width();
    int th = swap ? s.width() : s.height();
    AreaAccumulator acc = new AreaAccumulator(s.color().channels, h.width(), h.height(), 1, 1, h.width(), h.height(), tw, th, s.fit());
    PngStream.decode(data, h, s.color(), acc);
    byte[] pixels = ExifOrientation.apply(quantize(acc.result(), tw * th), tw, th, s.color().channels, orientation);
    return new Result("png", swap ? h.height() : h.width(), swap ? h.width() : h.height(), h.colorType() == 3 ? 1 : h.channels(),
        h.bitDepth(), s.width(), s.height(), s.color().channels, pixels, false);
  }

  /** True if {@code scale x scale} cells leave at least 1.5 of them along each side of an output pixel. */
  private static boolean fitsCells(JpegReducedReader.Header h, int tw, int th, int scale) {
    return 2L * h.width() >= 3L * scale * tw && 2L * h.height() >= 3L * scale * th;
  }

  /** The smallest horizontal (or vertical) sampling factor of the frame's components. */
  private static int minSampling(JpegFrame f, boolean horizontal) {
    int m = Integer.MAX_VALUE;
    for (JpegFrame.Component c : f.components) {
      m = Math.min(m, Math.max(1, horizontal ? c.h : c.v));
    }
    return m;
  }

  private static int jpegOrientation(byte[] d) {
    try {
      JpegReducedReader.Header h = JpegReducedReader.header(d);
      return h == null ? 1 : h.orientation();
    } catch (JpegReducedReader.CorruptException e) {
      return 1;
    }
  }

  /** Fits planes of cells onto {@code tw x th} by area averaging. */
  static float[][] fit(float[][] planes, int cellsX, int cellsY, int cellW, int cellH, int srcW, int srcH, int tw, int th, Fit fit) {
    AreaAccumulator acc = new AreaAccumulator(planes.length, cellsX, cellsY, cellW, cellH, srcW, srcH, tw, th, fit);
    for (int r = 0; r < cellsY; r++) {
      acc.addRow(r, planes, r * cellsX);
    }
    return acc.result();
  }

  static byte[] quantize(float[][] planes, int n) {
    int c = planes.length;
    byte[] out = new byte[n * c];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < c; p++) {
        out[i * c + p] = (byte) Math.max(0, Math.min(255, Math.round(planes[p][i])));
      }
    }
    return out;
  }
}
