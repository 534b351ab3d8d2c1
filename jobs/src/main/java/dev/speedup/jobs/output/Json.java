package dev.speedup.jobs.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.speedup.transforms.Failure;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON for the output files: one failure a line, and pretty summaries. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper COMPACT = new ObjectMapper();

  private Json() {}

  /** One {@code failures.jsonl} line: input, stage, kind, status, attempts, message. */
  public static String failureLine(Failure f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", f.input());
    m.put("stage", f.stage());
    m.put("kind", f.kind().name());
    m.put("status", f.status());
    m.put("attempts", f.attempts());
    m.put("message", f.message());
    try {
      return COMPACT.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] pretty(Object value) {
    try {
      return (MAPPER.writeValueAsString(value) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
