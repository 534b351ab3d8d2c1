package dev.speedup.jobs.fetch;

import dev.speedup.jobs.output.Csv;
import dev.speedup.transforms.airtemp.StationDay;

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
        + Csv.decimal(d.minC(), 1)
        + ","
        + Csv.decimal(d.meanC(), 2)
        + ","
        + Csv.decimal(d.maxC(), 1);
  }

}
