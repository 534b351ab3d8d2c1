package dev.speedup.transforms;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code Create.of(list)}, but the elements leave as one bundle: Beam's {@link Impulse} and one step that
 * outputs them all, in one call. From a plain {@code Create.of(list)} the DirectRunner hands the elements on
 * in bundles of a handful (it reads them as a source and splits the read dynamically), and a
 * {@code Reshuffle} after it fires once per incoming bundle, so each key's group arrives in pieces too. Steps
 * that keep work open for a bundle (requests in flight) or pay per bundle then run below what they were set
 * to. Measured on 24 elements: bundles of 8, 4, 2 and 1, different each run; here, one bundle per key.
 * Without a source there is also none of its machinery to build, translate and run (a splittable
 * {@code DoFn} wrapper, turned back into a primitive read by the DirectRunner).
 *
 * <p>The elements travel inside the step, encoded with {@code coder} when the pipeline is built (as
 * {@code Create} encodes them into its source), so they need not be {@code Serializable}.
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
    ArrayList<byte[]> encoded = new ArrayList<>(elements.size());
    for (T element : elements) {
      try {
        encoded.add(CoderUtils.encodeToByteArray(coder, element));
      } catch (CoderException e) {
        throw new IllegalArgumentException("CreateAsOneBundle: " + coder + " cannot encode the element " + element, e);
      }
    }
    return begin.apply("Impulse", Impulse.create()).apply("Elements", ParDo.of(new OutputAllFn<>(encoded, coder))).setCoder(coder);
  }

  private static final class OutputAllFn<T> extends DoFn<byte[], T> {
    private final ArrayList<byte[]> encoded;
    private final Coder<T> coder;

    OutputAllFn(ArrayList<byte[]> encoded, Coder<T> coder) {
      this.encoded = encoded;
      this.coder = coder;
    }

    @ProcessElement
    public void process(OutputReceiver<T> out) throws CoderException {
      for (byte[] element : encoded) {
        out.output(CoderUtils.decodeFromByteArray(coder, element));
      }
    }
  }
}
