package dev.beamattention.statistics;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.beamattention.core.HeadSums;
import dev.beamattention.json.ShortestDouble;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code head-stats.json}: {@code {"heads": [{"head", "sentences", "rows", "entropy", "distance",
 * "self", "previous", "next", "first", "topPairs": [{"from", "to", "mass", "count"}]}], "tokens"}},
 * indented, doubles as the shortest decimal that reads back to the same bits. {@code previous} and
 * {@code next} are null when no row has such a neighbour; {@code next} is left out under a causal
 * mask.
 */
final class HeadStatsJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private HeadStatsJson() {}

  /** The file's bytes, UTF-8; the reports in head order. */
  static byte[] write(List<HeadReport> reports, boolean causal) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeArrayFieldStart("heads");
      for (HeadReport r : reports) {
        HeadSums.Summary s = r.summary();
        g.writeStartObject();
        g.writeNumberField("head", r.head());
        g.writeNumberField("sentences", s.sentences());
        g.writeNumberField("rows", s.rows());
        number(g, "entropy", s.entropy());
        number(g, "distance", s.distance());
        number(g, "self", s.self());
        optional(g, "previous", s.previous());
        if (!causal) {
          optional(g, "next", s.next());
        }
        number(g, "first", s.first());
        g.writeArrayFieldStart("topPairs");
        for (TopPair p : r.topPairs()) {
          g.writeStartObject();
          g.writeStringField("from", p.from());
          g.writeStringField("to", p.to());
          number(g, "mass", p.mass());
          g.writeNumberField("count", p.count());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("tokens", tokens(reports));
      g.writeEndObject();
      g.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The corpus's tokens: every head sees every row of every sentence, so any head's rows. */
  static long tokens(List<HeadReport> reports) {
    return reports.isEmpty() ? 0 : reports.get(0).summary().rows();
  }

  private static void number(JsonGenerator g, String name, double v) throws IOException {
    g.writeFieldName(name);
    g.writeNumber(ShortestDouble.toString(v));
  }

  private static void optional(JsonGenerator g, String name, OptionalDouble v) throws IOException {
    if (v.isPresent()) {
      number(g, name, v.getAsDouble());
    } else {
      g.writeNullField(name);
    }
  }
}
