package dev.beamattention.pipeline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Output records as JSON: written into a generator (files, see {@link JsonLinesSink}) or as
 * single-line strings. Doubles are written in their shortest form that parses back to the same
 * value ({@link ShortestDouble}, whose output is Double.toString's of Java 19 and later), so
 * outputs are exact.
 */
public final class JsonLines {
  // Characters outside the BMP (emoji) go out as 4-byte UTF-8, not as escaped surrogate pairs.
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  static {
    // Records follow each other with the sink's own newline, not Jackson's space.
    JSON.setRootValueSeparator("");
  }

  private JsonLines() {}

  /** Writes one kind of record into a generator, as one JSON object. */
  @FunctionalInterface
  public interface Format<T> extends Serializable {
    void write(JsonGenerator g, T record) throws IOException;
  }

  /** {@code {"id", "tokens", "output": n x d_out}}. */
  public static final Format<AttendedSentence> CONTEXTUAL =
      (g, s) -> {
        g.writeStartObject();
        g.writeStringField("id", s.id());
        writeTokens(g, s.tokens());
        g.writeFieldName("output");
        writeRows(g, s.output());
        g.writeEndObject();
      };

  /** {@code {"id", "tokens", "weights": h x n x n}}. */
  public static final Format<AttendedSentence> ATTENTION =
      (g, s) -> {
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
      };

  /** {@code {"error", "input", "source"}}, the source only where known. */
  public static final Format<Failure> ERROR =
      (g, f) -> {
        g.writeStartObject();
        g.writeStringField("error", f.error());
        g.writeStringField("input", f.input());
        if (f.source() != null) {
          g.writeStringField("source", f.source());
        }
        g.writeEndObject();
      };

  /** The record a sentence came from, as an input line: for error records made after parsing. */
  public static final Format<Sentence> SENTENCE =
      (g, s) -> {
        g.writeStartObject();
        g.writeStringField("id", s.id());
        writeTokens(g, s.tokens());
        g.writeFieldName("embeddings");
        writeRows(g, s.embeddings());
        g.writeEndObject();
      };

  /** A UTF-8 generator over a stream, for records one after another with no separator. */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    return JSON.createGenerator(out, JsonEncoding.UTF8);
  }

  /** One record as a single-line string. */
  public static <T> String toLine(Format<T> format, T record) {
    SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
    try {
      try (JsonGenerator g = JSON.createGenerator(out)) {
        format.write(g, record);
      }
      return out.getAndClear();
    } catch (IOException e) {
      throw new UncheckedIOException("formatting to memory failed", e);
    }
  }

  public static String contextual(AttendedSentence s) {
    return toLine(CONTEXTUAL, s);
  }

  public static String attention(AttendedSentence s) {
    return toLine(ATTENTION, s);
  }

  public static String error(Failure f) {
    return toLine(ERROR, f);
  }

  public static String sentence(Sentence s) {
    return toLine(SENTENCE, s);
  }

  private static void writeTokens(JsonGenerator g, String[] tokens) throws IOException {
    g.writeFieldName("tokens");
    g.writeStartArray();
    for (String t : tokens) {
      g.writeString(t);
    }
    g.writeEndArray();
  }

  // One reusable buffer per thread: a row is formatted into it and written in one call.
  private static final ThreadLocal<char[]> ROW = ThreadLocal.withInitial(() -> new char[4096]);

  private static void writeRows(JsonGenerator g, double[][] rows) throws IOException {
    g.writeStartArray();
    for (double[] row : rows) {
      int need = 2 + row.length * (ShortestDouble.MAX_CHARS + 1);
      char[] buf = ROW.get();
      if (buf.length < need) {
        buf = new char[need];
        ROW.set(buf);
      }
      int pos = 0;
      buf[pos++] = '[';
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          buf[pos++] = ',';
        }
        pos = ShortestDouble.write(row[i], buf, pos);
      }
      buf[pos++] = ']';
      g.writeRawValue(buf, 0, pos);
    }
    g.writeEndArray();
  }
}
