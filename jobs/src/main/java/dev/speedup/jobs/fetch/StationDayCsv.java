package dev.speedup.jobs.fetch;

import dev.speedup.jobs.output.Csv;
import dev.speedup.transforms.airtemp.StationDay;
import java.util.Locale;

/** {@code station-days.csv}: RFC 4180, one row per station and day; sorting the lines sorts by date, then station. */
public final class StationDayCsv {
  public static final String HEADER = "date,station_id,station_name,readings,min_c,mean_c,max_c";

  private StationDayCsv() {}

  public static String line(StationDay d) {
    return d.date()
        + ","
        + Csv.field(d.stationId())
        + ","
        + Csv.field(d.stationName())
        + ","
        + d.readings()
        + ","
        + String.format(Locale.ROOT, "%.1f,%.2f,%.1f", d.minC(), d.meanC(), d.maxC());
  }

}
