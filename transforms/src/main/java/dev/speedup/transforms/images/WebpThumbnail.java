package dev.speedup.transforms.images;

import dev.speedup.transforms.FailureKind;

/**
 * WebP thumbnails through libwebp ({@link WebpDecoder}): a still WebP decoded straight to a small size, at
 * least twice the target along each side (libwebp's rescaler averages areas; the final fit averages again),
 * and an animation by its first frame ({@link WebpFrame}), placed where it falls on the canvas.
 */
final class WebpThumbnail {
  private WebpThumbnail() {}

  static Thumbnailer.Result of(byte[] data, Thumbnailer.Settings s, int orientation)
      throws Thumbnailer.ImageFailure, InterruptedException {
    if (!WebpDecoder.animated(data)) {
      // What libwebp refuses, other than an animation, is damage: handed to the pure-Java decoder instead, a
      // damaged 16-megapixel file ran a 384 MB heap out of memory.
      int[] size = WebpDecoder.size(data);
      if (size == null) {
        throw new Thumbnailer.ImageFailure(FailureKind.CORRUPT_IMAGE, "libwebp cannot read the WebP header (damaged file)");
      }
      return scaled(WebpFrame.ofStill(data, size[0], size[1]), s, orientation);
    }
    WebpFrame first = WebpFrame.firstOf(data);
    if (first == null) {
      throw new Thumbnailer.ImageFailure(FailureKind.CORRUPT_IMAGE, "the animated WebP has no readable first frame (damaged file)");
    }
    return scaled(first, s, orientation);
  }

  /** The frame decoded at the canvas's reduced scale and laid on a transparent canvas of that scale. */
  private static Thumbnailer.Result scaled(WebpFrame f, Thumbnailer.Settings s, int orientation)
      throws Thumbnailer.ImageFailure, InterruptedException {
    int w = f.canvasWidth();
    int h = f.canvasHeight();
    Thumbnailer.checkPixels(w, h, s);
    boolean swap = orientation >= 5;
    int tw = swap ? s.height() : s.width();
    int th = swap ? s.width() : s.height();
    int k = (int) Math.max(1, Math.min(w / (2L * tw), h / (2L * th)));
    int sw = Math.max(1, (int) Math.round(w / (double) k));
    int sh = Math.max(1, (int) Math.round(h / (double) k));
    // The frame's edges at that scale, so that a whole-canvas frame is decoded at exactly (sw, sh).
    int left = (int) Math.round(f.x() / (double) k);
    int top = (int) Math.round(f.y() / (double) k);
    int fw = Math.max(1, Math.min(sw, (int) Math.round((f.x() + f.width()) / (double) k)) - left);
    int fh = Math.max(1, Math.min(sh, (int) Math.round((f.y() + f.height()) / (double) k)) - top);
    long pixels = (long) f.width() * f.height();
    // libwebp's lossless decoder holds the whole image (outside the heap, but in the process) before rescaling.
    boolean lossless = WebpDecoder.lossless(f.still());
    long needs = (lossless ? 4 * pixels : pixels / 2) + 8L * sw * sh;
    int[] frame;
    try (MemoryBudget.Lease lease = MemoryBudget.decoding().acquire(needs)) {
      frame = WebpDecoder.decodeScaled(f.still(), fw, fh);
    }
    if (frame == null) {
      throw new Thumbnailer.ImageFailure(FailureKind.CORRUPT_IMAGE, "libwebp cannot decode the WebP image data (damaged file)");
    }
    int[] argb = frame;
    if (!f.whole()) {
      argb = new int[sw * sh]; // transparent where the frame does not reach
      for (int y = 0; y < fh && top + y < sh; y++) {
        System.arraycopy(frame, y * fw, argb, (top + y) * sw + left, Math.min(fw, sw - left));
      }
    }
    AreaAccumulator acc = new AreaAccumulator(s.color().channels, sw, sh, 1, 1, sw, sh, tw, th, s.fit());
    RasterRows.feedArgb(argb, sw, sh, s.color(), acc);
    byte[] out = ExifOrientation.apply(Thumbnailer.quantize(acc.result(), tw * th), tw, th, s.color().channels, orientation);
    int channels = lossless || !f.whole() || WebpDecoder.hasAlpha(f.still()) ? 4 : 3;
    return new Thumbnailer.Result("webp", swap ? h : w, swap ? w : h, channels, 8, s.width(), s.height(), s.color().channels, out, k > 1);
  }
}
