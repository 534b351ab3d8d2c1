package dev.speedup.transforms.airtemp;

/**
 * Where an API version's document keeps its stations and readings, for {@link DocumentStream}:
 * v1 {@code {metadata: {stations}, items[{timestamp, readings[{station_id, value}]}]}}; v2 {@code {code,
 * errorMsg, data: {stations, readings[{timestamp, data[{stationId, value}]}], paginationToken}}}.
 */
enum DocumentLayout {
  V1("items", "readings", "station_id"),
  V2("readings", "data", "stationId");

  /** The array of items (minutes), and the array of readings in each. */
  final String items;
  final String readings;
  /**
   * A reading's station field. A literal, so interned: {@link JsonNames} interns the names it reads, and the
   * parser compares them by identity first.
   */
  final String stationId;


  DocumentLayout(String items, String readings, String stationId) {
    this.items = items;
    this.readings = readings;
    this.stationId = stationId;
  }
}
