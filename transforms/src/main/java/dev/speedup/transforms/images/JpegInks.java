package dev.speedup.transforms.images;

import com.twelvemonkeys.imageio.color.ColorProfiles;
import com.twelvemonkeys.imageio.color.ColorSpaces;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * CMYK and YCCK JPEGs reduced on load: their cells (block means of the four components) to RGB. The
 * conversion is the one TwelveMonkeys' reader, the full decoder here, applies to whole images, applied to
 * the cells instead (as libjpeg's scaled decode and libvips do): YCCK's YCbCr to C, M and Y; the stored
 * inversion undone; then the embedded ICC profile when it is a four-component one, else the "generic CMYK"
 * colour space TwelveMonkeys finds on the machine (an ICC profile where one is configured, otherwise its
 * plain formula).
 */
final class JpegInks {
  private final ColorSpace source;

  private JpegInks(ColorSpace source) {
    this.source = source;
  }

  /**
   * The conversion for this frame's four components: its embedded profile if that is a sound four-component
   * one; otherwise (none, damaged, misnumbered segments, or a profile of other components) the generic one,
   * as TwelveMonkeys does after warning about it.
   */
  static JpegInks of(byte[] data, JpegFrame f) {
    ICC_Profile embedded = embeddedProfile(data, f.iccChunks);
    return new JpegInks(embedded != null && embedded.getNumComponents() == 4
        ? ColorSpaces.createColorSpace(embedded)
        : ColorSpaces.getColorSpace(ColorSpaces.CS_GENERIC_CMYK));
  }

  /**
   * {@code planes} (four cell planes as decoded: C, M, Y, K stored inverted, or Y, Cb, Cr, K) to R, G, B
   * planes 0..255.
   */
  float[][] toRgb(float[][] planes, boolean ycck) {
    int n = planes[0].length;
    byte[] inks = new byte[4 * n];
    for (int i = 0; i < n; i++) {
      if (ycck) {
        // The YCbCr is of the inverted C, M and Y: converted as JFIF's, it gives C, M and Y themselves.
        float luma = planes[0][i];
        float cb = planes[1][i] - 128f;
        float cr = planes[2][i] - 128f;
        inks[4 * i] = toByte(luma + 1.402f * cr);
        inks[4 * i + 1] = toByte(luma - 0.344136f * cb - 0.714136f * cr);
        inks[4 * i + 2] = toByte(luma + 1.772f * cb);
      } else {
        inks[4 * i] = toByte(255f - planes[0][i]);
        inks[4 * i + 1] = toByte(255f - planes[1][i]);
        inks[4 * i + 2] = toByte(255f - planes[2][i]);
      }
      inks[4 * i + 3] = toByte(255f - planes[3][i]);
    }
    float[][] rgb = {new float[n], new float[n], new float[n]};
    if (source instanceof ICC_ColorSpace) {
      WritableRaster from = Raster.createInterleavedRaster(new DataBufferByte(inks, inks.length), n, 1, 4 * n, 4, new int[] {0, 1, 2, 3}, null);
      WritableRaster to = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, n, 1, 3, null);
      new ColorConvertOp(source, ColorSpace.getInstance(ColorSpace.CS_sRGB), null).filter(from, to);
      byte[] out = ((DataBufferByte) to.getDataBuffer()).getData();
      for (int i = 0; i < n; i++) {
        rgb[0][i] = out[3 * i] & 0xFF;
        rgb[1][i] = out[3 * i + 1] & 0xFF;
        rgb[2][i] = out[3 * i + 2] & 0xFF;
      }
    } else {
      // TwelveMonkeys' formula where no CMYK profile is installed, in its integer arithmetic: each of R, G
      // and B is about (1 - ink)(1 - K).
      for (int i = 0; i < n; i++) {
        int k = inks[4 * i + 3] & 0xFF;
        for (int c = 0; c < 3; c++) {
          rgb[c][i] = 255 - ((inks[4 * i + c] & 0xFF) * (255 - k) / 255 + k);
        }
      }
    }
    return rgb;
  }

  private static byte toByte(float v) {
    return (byte) (v <= 0f ? 0 : v >= 255f ? 255 : Math.round(v));
  }

  /**
   * The profile in the APP2 {@code ICC_PROFILE} segments: one segment, or several numbered 1 to their count
   * (as TwelveMonkeys reads them); null if there is none, or the segments or the profile are damaged.
   */
  static ICC_Profile embeddedProfile(byte[] data, List<int[]> chunks) {
    if (chunks.isEmpty()) {
      return null;
    }
    int count = data[chunks.get(0)[0] + 1] & 0xFF;
    if (chunks.size() == 1) {
      int number = data[chunks.get(0)[0]] & 0xFF;
      if (number != 1 && count != 1) {
        return null;
      }
    } else if (count != chunks.size()) {
      return null;
    }
    InputStream[] parts = new InputStream[chunks.size()];
    for (int[] chunk : chunks) {
      int number = data[chunk[0]] & 0xFF;
      int index = chunks.size() == 1 ? 0 : number - 1;
      if (index < 0 || index >= parts.length || parts[index] != null || (data[chunk[0] + 1] & 0xFF) != count) {
        return null;
      }
      parts[index] = new ByteArrayInputStream(data, chunk[0] + 2, chunk[1] - chunk[0] - 2);
    }
    try (InputStream in = new SequenceInputStream(Collections.enumeration(Arrays.asList(parts)))) {
      return displayClass(ColorProfiles.readProfile(in));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * As TwelveMonkeys: a perceptual profile of another class is treated as a display profile, since Java's
   * colour conversion would otherwise apply the relative colorimetric intent to it.
   */
  private static ICC_Profile displayClass(ICC_Profile profile) {
    if (profile.getProfileClass() == ICC_Profile.CLASS_DISPLAY) {
      return profile;
    }
    byte[] bytes = profile.getData();
    if (bytes[ICC_Profile.icHdrRenderingIntent] != ICC_Profile.icPerceptual) {
      return profile;
    }
    int display = ICC_Profile.icSigDisplayClass;
    bytes[ICC_Profile.icHdrDeviceClass] = (byte) (display >>> 24);
    bytes[ICC_Profile.icHdrDeviceClass + 1] = (byte) (display >>> 16);
    bytes[ICC_Profile.icHdrDeviceClass + 2] = (byte) (display >>> 8);
    bytes[ICC_Profile.icHdrDeviceClass + 3] = (byte) display;
    return ColorProfiles.createProfile(bytes);
  }
}
