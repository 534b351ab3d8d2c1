package dev.speedup.transforms.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** Encodes a {@link URI} as its string form (Beam has no URI coder of its own). */
public final class UriCoder extends AtomicCoder<URI> {
  private static final UriCoder INSTANCE = new UriCoder();

  public static UriCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(URI value, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(value.toString(), out);
  }

  @Override
  public URI decode(InputStream in) throws IOException {
    return URI.create(StringUtf8Coder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
