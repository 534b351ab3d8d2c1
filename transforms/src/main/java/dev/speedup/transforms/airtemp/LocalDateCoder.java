package dev.speedup.transforms.airtemp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Encodes a {@link LocalDate} as its epoch day. */
public final class LocalDateCoder extends AtomicCoder<LocalDate> {
  private static final LocalDateCoder INSTANCE = new LocalDateCoder();

  public static LocalDateCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(LocalDate value, OutputStream out) throws IOException {
    VarLongCoder.of().encode(value.toEpochDay(), out);
  }

  @Override
  public LocalDate decode(InputStream in) throws IOException {
    return LocalDate.ofEpochDay(VarLongCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
