package dev.speedup.transforms.airtemp;

/** Why a reading was not counted in its station's day ({@link AirTemperatureParser}). */
public enum ReadingRejection {
  /** Outside the valid range, or not finite. */
  OUT_OF_RANGE,
  /** A value that is not a number (a string, an object, ...). */
  MALFORMED_VALUE,
  /** In an item without a readable timestamp. */
  NO_TIMESTAMP,
  /** In an item stamped with another day. */
  OTHER_DAY,
  /** The station's second reading for the same minute. */
  DUPLICATE
}
