package dev.speedup.transforms.airtemp;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.LocalDate;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** One station's readings over one day: how many, and their minimum, mean and maximum in deg C. */
// The default coder, so a user's pipeline needs no setCoder for these elements.
@org.apache.beam.sdk.coders.DefaultCoder(StationDay.StationDayCoder.class)
@AutoValue
public abstract class StationDay {
  public abstract LocalDate date();

  public abstract String stationId();

  /** The name the day's metadata gives the station; empty if the metadata does not list it. */
  public abstract String stationName();

  public abstract int readings();

  public abstract double minC();

  public abstract double meanC();

  public abstract double maxC();

  public static StationDay of(
      LocalDate date, String stationId, String stationName, int readings, double minC, double meanC, double maxC) {
    return new AutoValue_StationDay(date, stationId, stationName, readings, minC, meanC, maxC);
  }

  /** A compact, deterministic coder. */
  public static final class StationDayCoder extends AtomicCoder<StationDay> {
    private static final StationDayCoder INSTANCE = new StationDayCoder();

    public static StationDayCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(StationDay v, OutputStream out) throws IOException {
      VarLongCoder.of().encode(v.date().toEpochDay(), out);
      StringUtf8Coder.of().encode(v.stationId(), out);
      StringUtf8Coder.of().encode(v.stationName(), out);
      VarIntCoder.of().encode(v.readings(), out);
      DoubleCoder.of().encode(v.minC(), out);
      DoubleCoder.of().encode(v.meanC(), out);
      DoubleCoder.of().encode(v.maxC(), out);
    }

    @Override
    public StationDay decode(InputStream in) throws IOException {
      return StationDay.of(
          LocalDate.ofEpochDay(VarLongCoder.of().decode(in)),
          StringUtf8Coder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarIntCoder.of().decode(in),
          DoubleCoder.of().decode(in),
          DoubleCoder.of().decode(in),
          DoubleCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
