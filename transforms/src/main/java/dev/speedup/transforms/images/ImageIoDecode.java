package dev.speedup.transforms.images;

import dev.speedup.transforms.FailureKind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;

/**
 * The whole-image path of {@link Thumbnailer}: ImageIO (with the TwelveMonkeys plugins) decodes what no
 * reader here takes on load (CMYK JPEG, JPEGs too small to reduce, GIF, BMP, TIFF, Netpbm, low-depth PNG and PNG with a
 * colour key, WebP where libwebp cannot load), admitted against the {@link MemoryBudget} for its raster and
 * subsampled when the budget alone is too small; a decoder warning makes the file a failure.
 */
final class ImageIoDecode {
  private ImageIoDecode() {}

  /** The thumbnail of a whole decode; {@code orientation} is the EXIF value to apply (1 for none). */
  static Thumbnailer.Result thumbnail(byte[] data, String format, int orientation, Thumbnailer.Settings s)
      throws Thumbnailer.ImageFailure, InterruptedException {
    List<String> warnings = new ArrayList<>();
    BufferedImage image;
    int channels;
    int bits;
    int width;
    int height;
    int subsampling;
    MemoryBudget.Lease lease = null;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      ImageReader reader = reader(in);
      if (reader == null) {
        throw new Thumbnailer.ImageFailure(FailureKind.UNSUPPORTED_FORMAT, "no decoder installed for this " + format + " file");
      }
      try {
        reader.setInput(in, true, true);
        width = reader.getWidth(0);
        height = reader.getHeight(0);
        Thumbnailer.checkPixels(width, height, s);
        checkTiles(reader, width, height, format);
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        channels = raw == null ? -1 : raw.getSampleModel().getNumBands();
        bits = raw == null ? -1 : raw.getSampleModel().getSampleSize(0);
        reader.addIIOReadWarningListener(
            (source, warning) -> {
              // A bad colour profile is ignored by the decoder (the pixels are intact); anything else
              // (premature end, corrupt data) means damaged pixels.
              if (!warning.contains("ICC")) {
                warnings.add(warning);
              }
            });
        long needs = rasterBytes(width, height, channels, bits, format);
        MemoryBudget budget = MemoryBudget.decoding();
        subsampling = budget.subsampling(needs);
        ImageReadParam param = reader.getDefaultReadParam();
        if (subsampling > 1) {
          // Too large for the budget even alone: every n-th pixel of every n-th row, with the whole budget.
          param.setSourceSubsampling(subsampling, subsampling, 0, 0);
        }
        // Held until the raster has been averaged and can be collected.
        lease = budget.acquire(needs / ((long) subsampling * subsampling));
        image = reader.read(0, param);
      } finally {
        reader.dispose();
        reader = null; // ImageIO's PNG reader keeps the image it returned, even once disposed
      }
    } catch (Thumbnailer.ImageFailure | RuntimeException e) {
      if (lease != null) {
        lease.close();
      }
      throw e;
    } catch (IOException e) {
      if (lease != null) {
        lease.close();
      }
      // ImageIO wraps the decoder's own exception: "Caught exception during read: " says nothing alone.
      String m = java.util.Objects.toString(e.getMessage(), e.getClass().getSimpleName()) + (e.getCause() != null ? " " + e.getCause() : "");
      if (m.contains("Unsupported") || m.contains("unsupported") || m.contains("not supported")) {
        throw new Thumbnailer.ImageFailure(FailureKind.UNSUPPORTED_FORMAT, "the " + format + " decoder cannot read this variant: " + m);
      }
      throw new Thumbnailer.ImageFailure(FailureKind.CORRUPT_IMAGE, "the " + format + " decoder failed: " + m);
    }
    try {
      return fitDecoded(image, warnings, format, orientation, s, channels, bits, width, height, subsampling);
    } finally {
      // The raster must be unreachable before its bytes go back: a decode admitted next would otherwise
      // allocate while this one is still referenced from this frame.
      image = null;
      lease.close();
    }
  }

  private static Thumbnailer.Result fitDecoded(BufferedImage image, List<String> warnings, String format, int orientation, Thumbnailer.Settings s,
      int channels, int bits, int width, int height, int subsampling) throws Thumbnailer.ImageFailure {
    if (!warnings.isEmpty()) {
      throw new Thumbnailer.ImageFailure(FailureKind.CORRUPT_IMAGE, "the " + format + " decoder reported damage: " + warnings.get(0));
    }
    if (image == null) {
      throw new Thumbnailer.ImageFailure(FailureKind.CORRUPT_IMAGE, "the " + format + " decoder returned no image");
    }
    if (channels < 0) {
      channels = image.getSampleModel().getNumBands();
      bits = image.getColorModel().getComponentSize(0);
    }
    boolean swap = orientation >= 5;
    int tw = swap ? s.height() : s.width();
    int th = swap ? s.width() : s.height();
    int iw = image.getWidth();
    int ih = image.getHeight();
    AreaAccumulator acc = new AreaAccumulator(s.color().channels, iw, ih, 1, 1, iw, ih, tw, th, s.fit());
    RasterRows.feed(image, s.color(), acc);
    byte[] pixels = ExifOrientation.apply(Thumbnailer.quantize(acc.result(), tw * th), tw, th, s.color().channels, orientation);
    return new Thumbnailer.Result(format, swap ? height : width, swap ? width : height, channels, bits, s.width(), s.height(), s.color().channels,
        pixels, subsampling > 1);
  }

  /** The most a tile may exceed its image by: tiles are multiples of 16, and encoders use up to 1024 on small images. */
  private static final int TILE_SLACK = 1024;

  /**
   * A tiled image's tiles must fit its image: a decoder sizes its buffers from them, and a crafted 186-byte TIFF
   * declaring 100x100 pixels in tiles of 2^31 ran a 384 MB heap out of memory inside TwelveMonkeys.
   */
  private static void checkTiles(ImageReader reader, int width, int height, String format) throws IOException, Thumbnailer.ImageFailure {
    if (!reader.isImageTiled(0)) {
      return;
    }
    long tw = reader.getTileWidth(0);
    long th = reader.getTileHeight(0);
    if (tw < 1 || th < 1 || tw > Math.max(width + 15L, TILE_SLACK) || th > Math.max(height + 15L, TILE_SLACK)) {
      throw new Thumbnailer.ImageFailure(FailureKind.CORRUPT_IMAGE,
          "the " + format + " file declares tiles of " + tw + "x" + th + " for an image of " + width + "x" + height + " (damaged or crafted)");
    }
  }

  /**
   * The ImageIO reader for this stream, passing over webp-imageio's own (native, and used directly by
   * {@link WebpDecoder} where it loads): where it does not load, it fails with an Error, not an IOException.
   */
  private static ImageReader reader(ImageInputStream in) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader r = readers.next();
      if (!r.getClass().getName().startsWith("com.luciad.")) {
        return r;
      }
    }
    return null;
  }

  /**
   * What a full decode holds while it runs: the raster ImageIO returns (samples of 8 or 16 bits) and,
   * for JPEG, a second one its colour conversion fills (CMYK and YCCK go through TwelveMonkeys' own).
   */
  static long rasterBytes(long width, long height, int bands, int bits, String format) {
    long perPixel = (long) Math.max(3, bands <= 0 ? 4 : bands) * (bits > 8 ? 2 : 1);
    return width * height * perPixel * (format.equals("jpeg") ? 2 : 1) + (1 << 20);
  }
}
