package dev.speedup.transforms;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One input that produced no result, and why: the dead-letter record every transform here returns
 * beside its output. Every input ends in exactly one output or exactly one failure.
 */
// The default coder, so a user's pipeline needs no setCoder for these elements.
@org.apache.beam.sdk.coders.DefaultCoder(Failure.FailureCoder.class)
@AutoValue
public abstract class Failure {
  /** The input as the caller knows it (a date, a URI, a file path). */
  public abstract String input();

  /** Which step failed, e.g. {@code fetch}, {@code parse}, {@code decode}. */
  public abstract String stage();

  public abstract FailureKind kind();

  /** The last HTTP status, when there was one. */
  public abstract @Nullable Integer status();

  /** How many attempts were made (1 when the step is not retried). */
  public abstract int attempts();

  /** A plain-language reason, stable for the same input and fault. */
  public abstract String message();

  public static Failure of(
      String input, String stage, FailureKind kind, @Nullable Integer status, int attempts, String message) {
    return new AutoValue_Failure(input, stage, kind, status, attempts, message);
  }

  /** The same failure, attributed to a different input name (e.g. a date instead of its URI). */
  public Failure withInput(String newInput) {
    return of(newInput, stage(), kind(), status(), attempts(), message());
  }

  /** A compact, deterministic coder. */
  public static final class FailureCoder extends AtomicCoder<Failure> {
    private static final FailureCoder INSTANCE = new FailureCoder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private static final NullableCoder<Integer> NULLABLE_INT = NullableCoder.of(VarIntCoder.of());

    public static FailureCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Failure value, OutputStream out) throws IOException {
      STRING.encode(value.input(), out);
      STRING.encode(value.stage(), out);
      STRING.encode(value.kind().name(), out);
      NULLABLE_INT.encode(value.status(), out);
      INT.encode(value.attempts(), out);
      STRING.encode(value.message(), out);
    }

    @Override
    public Failure decode(InputStream in) throws IOException {
      return Failure.of(
          STRING.decode(in),
          STRING.decode(in),
          FailureKind.valueOf(STRING.decode(in)),
          NULLABLE_INT.decode(in),
          INT.decode(in),
          STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
