package example;

import dev.speedup.fixtures.AirTemperatureServer;
import dev.speedup.transforms.Failure;
import dev.speedup.transforms.airtemp.AirTemperature;
import dev.speedup.transforms.airtemp.LocalDateCoder;
import dev.speedup.transforms.airtemp.StationDay;
import dev.speedup.transforms.http.HttpFetch;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Daily air-temperature stats for 30 dates: {@code FetchExample OUTPUT_DIR [API_URL]} (no URL: the stand-in). */
public class FetchExample {
  public static void main(String[] args) throws Exception {
    try (AirTemperatureServer standIn = AirTemperatureServer.builder().lifetime(Duration.ofMinutes(5)).start()) {
      URI api = args.length > 1 ? URI.create(args[1]) : standIn.endpoint();
      List<LocalDate> dates = IntStream.range(0, 30).mapToObj(i -> LocalDate.of(2020, 6, 1).plusDays(i)).toList();

      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=2").create());
      WithFailures.Result<PCollection<StationDay>, Failure> stats =
          pipeline
              .apply(Create.of(dates).withCoder(LocalDateCoder.of()))
              .apply(AirTemperature.dailyStats().withEndpoint(api).withFetch(HttpFetch.get().withMaxInFlight(16).withShards(2)));
      stats.output()
          .apply(MapElements.into(TypeDescriptors.strings()).via(d -> d.date() + "," + d.stationId() + "," + d.meanC()))
          .apply(TextIO.write().to(args[0] + "/station-days").withSuffix(".csv").withoutSharding());
      stats.failures()
          .apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.input() + "," + f.kind() + "," + f.message()))
          .apply(TextIO.write().to(args[0] + "/failures").withSuffix(".csv").withoutSharding());
      pipeline.run().waitUntilFinish();
    }
  }
}
