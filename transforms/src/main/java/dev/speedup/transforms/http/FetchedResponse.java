package dev.speedup.transforms.http;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** A successful (2xx) answer to one requested URI. */
// The default coder, so a user's pipeline needs no setCoder for these elements.
@org.apache.beam.sdk.coders.DefaultCoder(FetchedResponse.FetchedResponseCoder.class)
@AutoValue
public abstract class FetchedResponse {
  public abstract URI uri();

  public abstract int status();

  @SuppressWarnings("mutable") // Copying ~1 MB bodies per element would cost more than it protects.
  public abstract byte[] body();

  /** Attempts it took, 1 when the first one succeeded. */
  public abstract int attempts();

  public static FetchedResponse of(URI uri, int status, byte[] body, int attempts) {
    return new AutoValue_FetchedResponse(uri, status, body, attempts);
  }

  /** A compact, deterministic coder. */
  public static final class FetchedResponseCoder extends AtomicCoder<FetchedResponse> {
    private static final FetchedResponseCoder INSTANCE = new FetchedResponseCoder();

    public static FetchedResponseCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(FetchedResponse value, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value.uri().toString(), out);
      VarIntCoder.of().encode(value.status(), out);
      ByteArrayCoder.of().encode(value.body(), out);
      VarIntCoder.of().encode(value.attempts(), out);
    }

    @Override
    public FetchedResponse decode(InputStream in) throws IOException {
      return FetchedResponse.of(
          URI.create(StringUtf8Coder.of().decode(in)),
          VarIntCoder.of().decode(in),
          ByteArrayCoder.of().decode(in),
          VarIntCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
