package dev.speedup.transforms.images;

import com.luciad.imageio.webp.WebP;
import com.luciad.imageio.webp.WebPDecoderOptions;
import java.io.IOException;

/**
 * WebP through libwebp, bundled for the usual platforms in {@code com.github.gotson:webp-imageio}, with its
 * scaled decode: libwebp reduces each row as it decodes it (an area-averaging rescaler), so a 4096x4096
 * WebP never exists whole in the heap. An animation is read by its first frame ({@link WebpFrame}), as
 * libwebp's simple decoder refuses animations. Where the native library cannot load (an unbundled platform),
 * the caller goes to ImageIO and TwelveMonkeys' pure-Java WebP reader instead (which decodes some lossy
 * images wrongly); a WebP that libwebp refuses is damaged.
 */
final class WebpDecoder {
  private static final boolean NATIVE = load();

  private WebpDecoder() {}

  private static boolean load() {
    try {
      return WebP.loadNativeLibrary();
    } catch (Throwable e) { // UnsatisfiedLinkError, or the class's own static initialiser failing
      return false;
    }
  }

  static boolean available() {
    return NATIVE;
  }

  /** Width and height from the header (the native library reads it), or null if it cannot. */
  static int[] size(byte[] data) {
    try {
      int[] info = WebP.getInfo(data, 0, data.length);
      return info != null && info.length >= 2 ? info : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** An animated WebP (its VP8X header's animation flag): libwebp's simple decoder refuses those. */
  static boolean animated(byte[] d) {
    return d.length > 20 && d[12] == 'V' && d[13] == 'P' && d[14] == '8' && d[15] == 'X' && (d[20] & 0x02) != 0;
  }

  /** A WebP whose VP8X header declares alpha (a lossy image with an ALPH chunk, or any with transparency). */
  static boolean hasAlpha(byte[] d) {
    return d.length > 20 && d[12] == 'V' && d[13] == 'P' && d[14] == '8' && d[15] == 'X' && (d[20] & 0x10) != 0;
  }

  /** Lossless WebP (VP8L), which libwebp decodes whole before rescaling; lossy (VP8) goes row by row. */
  static boolean lossless(byte[] d) {
    for (int i = 12; i + 4 <= Math.min(d.length, 64); i++) {
      if (d[i] == 'V' && d[i + 1] == 'P' && d[i + 2] == '8' && d[i + 3] == 'L') {
        return true;
      }
    }
    return false;
  }

  /** Pixels decoded at {@code width x height}, as 0xAARRGGBB; null when libwebp will not read this file. */
  static int[] decodeScaled(byte[] data, int width, int height) {
    WebPDecoderOptions options = new WebPDecoderOptions();
    options.setUseScaling(true);
    options.setScaledWidth(width);
    options.setScaledHeight(height);
    int[] info = new int[4];
    try {
      int[] pixels = WebP.decode(options, data, 0, data.length, info);
      return pixels != null && pixels.length == width * height ? pixels : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
