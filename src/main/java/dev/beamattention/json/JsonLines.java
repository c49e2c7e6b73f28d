package dev.beamattention.json;

import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.OutputPrecision;
import dev.beamattention.record.Sentence;
import java.io.Serializable;

/**
 * Output records as JSON, written into a {@link JsonBuffer} (whole files) or as single-line
 * strings. Doubles are written in their shortest form that parses back to the same value ({@link
 * ShortestDouble}, whose output is Double.toString's of Java 19 and later), so outputs are exact;
 * the {@code _FLOAT32} formats round them to float first and write the shortest for the float
 * ({@link ShortestFloat}).
 */
public final class JsonLines {
  private JsonLines() {}

  /** Writes one kind of record into a buffer, as one JSON object with no newline. */
  @FunctionalInterface
  public interface Format<T> extends Serializable {
    void write(JsonBuffer out, T record);
  }

  /** {@code {"id", "tokens", "output": n x d_out}}. */
  public static final Format<AttendedSentence> CONTEXTUAL =
      (out, s) -> writeContextual(out, s, false);

  /** {@code {"id", "tokens", "weights": h x n x n}}. */
  public static final Format<AttendedSentence> ATTENTION =
      (out, s) -> writeAttention(out, s, false);

  /** {@link #CONTEXTUAL} with every number rounded to float and written shortest for it. */
  public static final Format<AttendedSentence> CONTEXTUAL_FLOAT32 =
      (out, s) -> writeContextual(out, s, true);

  /** {@link #ATTENTION} with every weight rounded to float and written shortest for it. */
  public static final Format<AttendedSentence> ATTENTION_FLOAT32 =
      (out, s) -> writeAttention(out, s, true);

  /** The contextual format for numbers of this precision. */
  public static Format<AttendedSentence> contextualFormat(OutputPrecision precision) {
    return precision == OutputPrecision.FLOAT32 ? CONTEXTUAL_FLOAT32 : CONTEXTUAL;
  }

  /** The attention format for numbers of this precision. */
  public static Format<AttendedSentence> attentionFormat(OutputPrecision precision) {
    return precision == OutputPrecision.FLOAT32 ? ATTENTION_FLOAT32 : ATTENTION;
  }

  private static void writeContextual(JsonBuffer out, AttendedSentence s, boolean float32) {
    out.raw("{\"id\":").string(s.id()).raw(",\"tokens\":").strings(s.tokens());
    out.raw(",\"output\":");
    if (float32) {
      out.floatRows(s.output());
    } else {
      out.rows(s.output());
    }
    out.raw('}');
  }

  private static void writeAttention(JsonBuffer out, AttendedSentence s, boolean float32) {
    out.raw("{\"id\":").string(s.id()).raw(",\"tokens\":").strings(s.tokens());
    out.raw(",\"weights\":[");
    double[][][] heads = s.attention();
    for (int h = 0; h < heads.length; h++) {
      if (h > 0) {
        out.raw(',');
      }
      if (float32) {
        out.floatRows(heads[h]);
      } else {
        out.rows(heads[h]);
      }
    }
    out.raw("]}");
  }

  /** {@code {"error", "input", "source"}}, the source only where known. */
  public static final Format<ErrorRecord> ERROR =
      (out, f) -> {
        out.raw("{\"error\":").string(f.reason()).raw(",\"input\":").string(f.input());
        f.source().ifPresent(source -> out.raw(",\"source\":").string(source));
        out.raw('}');
      };

  /** The record a sentence came from, as an input line: for error records made after parsing. */
  public static final Format<Sentence> SENTENCE =
      (out, s) ->
          out.raw("{\"id\":")
              .string(s.id())
              .raw(",\"tokens\":")
              .strings(s.tokens())
              .raw(",\"embeddings\":")
              .rows(s.embeddings())
              .raw('}');

  /** One record as a single-line string. */
  public static <T> String toLine(Format<T> format, T record) {
    JsonBuffer out = new JsonBuffer(1024);
    format.write(out, record);
    return out.toString();
  }

  public static String contextual(AttendedSentence s) {
    return toLine(CONTEXTUAL, s);
  }

  public static String attention(AttendedSentence s) {
    return toLine(ATTENTION, s);
  }

  public static String error(ErrorRecord f) {
    return toLine(ERROR, f);
  }

  public static String sentence(Sentence s) {
    return toLine(SENTENCE, s);
  }
}
