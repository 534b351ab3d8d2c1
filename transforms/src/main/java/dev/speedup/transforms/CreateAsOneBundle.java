package dev.speedup.transforms;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code Create.of(list)}, but the elements leave as one bundle: the list is one element, fanned out in
 * one call. From a plain {@code Create.of(list)} the DirectRunner hands the elements on in bundles of a
 * handful (it splits the read dynamically), and a {@code Reshuffle} after it fires once per incoming
 * bundle, so each key's group arrives in pieces too. Steps that keep work open for a bundle (requests in
 * flight) or pay per bundle then run below what they were set to. Measured on 24 elements: bundles of
 * 8, 4, 2 and 1, different each run; fanned out, one bundle per key.
 */
public final class CreateAsOneBundle<T> extends PTransform<PBegin, PCollection<T>> {
  private final List<T> elements;
  private final Coder<T> coder;

  private CreateAsOneBundle(List<T> elements, Coder<T> coder) {
    this.elements = List.copyOf(elements);
    this.coder = coder;
  }

  public static <T> CreateAsOneBundle<T> of(List<T> elements, Coder<T> coder) {
    return new CreateAsOneBundle<>(elements, coder);
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    return begin
        .apply("List", Create.of(List.of(elements)).withCoder(ListCoder.of(coder)))
        .apply("FanOut", ParDo.of(new FanOutFn<T>()))
        .setCoder(coder);
  }

  private static final class FanOutFn<T> extends DoFn<List<T>, T> {
    @ProcessElement
    public void process(@Element List<T> list, OutputReceiver<T> out) {
      list.forEach(out::output);
    }
  }
}
