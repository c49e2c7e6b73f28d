package dev.beamattention.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Formats output records as single JSON lines. Doubles are written in their shortest form that
 * parses back to the same value (Jackson's Schubfach writer), so outputs are exact.
 */
public final class JsonLines {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  private JsonLines() {}

  /** {@code {"id", "tokens", "output": n x d_out}}. */
  public static String contextual(AttendedSentence s) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("id", s.id());
          writeTokens(g, s.tokens());
          g.writeFieldName("output");
          writeRows(g, s.output());
          g.writeEndObject();
        });
  }

  /** {@code {"id", "tokens", "weights": h x n x n}}. */
  public static String attention(AttendedSentence s) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("id", s.id());
          writeTokens(g, s.tokens());
          g.writeFieldName("weights");
          g.writeStartArray();
          for (double[][] head : s.weights()) {
            writeRows(g, head);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  /** {@code {"error", "input", "source"}}, the source only where known. */
  public static String error(Failure f) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("error", f.error());
          g.writeStringField("input", f.input());
          if (f.source() != null) {
            g.writeStringField("source", f.source());
          }
          g.writeEndObject();
        });
  }

  /** The record a sentence came from, as an input line: for error records made after parsing. */
  public static String sentence(Sentence s) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("id", s.id());
          writeTokens(g, s.tokens());
          g.writeFieldName("embeddings");
          writeRows(g, s.embeddings());
          g.writeEndObject();
        });
  }

  private interface Body {
    void writeTo(JsonGenerator g) throws IOException;
  }

  private static String write(Body body) {
    SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
    try {
      try (JsonGenerator g = JSON.createGenerator(out)) {
        body.writeTo(g);
      }
      return out.getAndClear();
    } catch (IOException e) {
      throw new UncheckedIOException("formatting to memory failed", e);
    }
  }

  private static void writeTokens(JsonGenerator g, String[] tokens) throws IOException {
    g.writeFieldName("tokens");
    g.writeStartArray();
    for (String t : tokens) {
      g.writeString(t);
    }
    g.writeEndArray();
  }

  private static void writeRows(JsonGenerator g, double[][] rows) throws IOException {
    g.writeStartArray();
    for (double[] row : rows) {
      g.writeArray(row, 0, row.length);
    }
    g.writeEndArray();
  }
}
