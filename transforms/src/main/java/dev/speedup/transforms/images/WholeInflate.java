package dev.speedup.transforms.images;

import com.fulcrumgenomics.jlibdeflate.DecompressionResult;
import com.fulcrumgenomics.jlibdeflate.LibdeflateDecompressor;
import java.nio.ByteBuffer;

/**
 * Deflate data inflated in one call by libdeflate (native, bundled in {@code com.fulcrumgenomics:jlibdeflate}),
 * about three times zlib's speed on PNG image data. libdeflate only inflates whole buffers, so the caller
 * must hold the whole output; {@link PngImageData} does so when {@link InflateBuffers} has room and streams
 * through zlib otherwise. Where the native library cannot load, {@link #available()} is false and zlib does it all.
 */
final class WholeInflate {
  private static final boolean NATIVE = load();

  private WholeInflate() {}

  private static boolean load() {
    try (LibdeflateDecompressor ignored = new LibdeflateDecompressor()) {
      return true;
    } catch (Throwable e) { // UnsatisfiedLinkError, or the class's static initialiser failing to load it
      return false;
    }
  }

  static boolean available() {
    return NATIVE;
  }

  /**
   * Inflates the raw deflate data between {@code in}'s position and limit into {@code out} (direct buffers
   * both): true if it fills {@code out} from its position to its limit exactly, false if it gives fewer or
   * more bytes, or is not valid deflate data (the caller then streams it, and says what is wrong with it).
   */
  static boolean inflate(ByteBuffer in, ByteBuffer out) {
    int size = out.remaining();
    try (LibdeflateDecompressor inflater = new LibdeflateDecompressor()) {
      DecompressionResult r = inflater.deflateDecompressEx(in, out);
      return r.outputBytesProduced() == size;
    } catch (RuntimeException e) { // libdeflate's "bad data" or "insufficient space"
      return false;
    }
  }
}
