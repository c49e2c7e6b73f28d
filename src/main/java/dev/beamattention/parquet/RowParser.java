package dev.beamattention.parquet;

import dev.beamattention.json.ParsedLine;
import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads one row of a Parquet input, as Avro sees it, into a sentence: {@code id} string, optional;
 * {@code tokens} list&lt;string&gt;; {@code embeddings} list&lt;list&lt;double or float&gt;&gt;,
 * optional where a word-vector table gives the vectors. Other columns are ignored.
 *
 * <p>The checks and their messages are {@link SentenceParser}'s, so a row and a JSON line with the
 * same fault give the same error kind and reason. Column types hold for a whole file: {@link
 * #checkSchema} tells a file whose columns cannot be sentences at all.
 */
public final class RowParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int expectedWidth;
  private final int maxTokens;

  /**
   * @param expectedWidth d_model the weights need, or 0 when any width goes
   * @param maxTokens the most tokens a sentence may have
   */
  public RowParser(int expectedWidth, int maxTokens) {
    this.expectedWidth = expectedWidth;
    this.maxTokens = maxTokens;
  }

  /**
   * What makes a file's rows unusable as sentences, whatever they hold: a missing {@code tokens}
   * column, or a column of the wrong type; empty when the columns fit.
   */
  public static Optional<String> checkSchema(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      return Optional.of("rows are " + schema.getType() + ", not records");
    }
    Schema.Field id = schema.getField("id");
    if (id != null && !is(id.schema(), 0, Schema.Type.STRING)) {
      return Optional.of("column id is " + describe(id.schema()) + ", expected string");
    }
    Schema.Field tokens = schema.getField("tokens");
    if (tokens == null) {
      return Optional.of("no column tokens");
    }
    if (!is(tokens.schema(), 1, Schema.Type.STRING)) {
      return Optional.of(
          "column tokens is " + describe(tokens.schema()) + ", expected list<string>");
    }
    Schema.Field embeddings = schema.getField("embeddings");
    if (embeddings != null
        && !is(embeddings.schema(), 2, Schema.Type.DOUBLE)
        && !is(embeddings.schema(), 2, Schema.Type.FLOAT)) {
      return Optional.of(
          "column embeddings is "
              + describe(embeddings.schema())
              + ", expected list<list<double>> or list<list<float>>");
    }
    return Optional.empty();
  }

  /**
   * One row into a {@link Sentence}, or, when {@code tokensSuffice} and its embeddings are missing,
   * a {@link PendingSentence}. A row without an id gets {@link SentenceParser#derivedId} of its
   * text as Avro writes it ({@code GenericRecord.toString()}).
   *
   * @throws BadRecordException naming what is wrong and where in the row
   */
  public ParsedLine parse(GenericRecord row, boolean tokensSuffice) throws BadRecordException {
    Object idValue = row.hasField("id") ? row.get("id") : null;
    String[] tokens = tokens(row.hasField("tokens") ? row.get("tokens") : null);
    Object embeddingsValue = row.hasField("embeddings") ? row.get("embeddings") : null;
    String id = idValue == null ? null : idValue.toString();
    if (embeddingsValue == null) {
      if (tokensSuffice) {
        String text = row.toString();
        return new ParsedLine.TokensOnly(
            new PendingSentence(id != null ? id : SentenceParser.derivedId(text), tokens, text));
      }
      throw new BadRecordException(ErrorKind.INVALID, "embeddings are missing");
    }
    double[][] embeddings = embeddings((List<?>) embeddingsValue);
    if (embeddings.length != tokens.length) {
      throw new BadRecordException(
          ErrorKind.INVALID,
          "embeddings has "
              + embeddings.length
              + " rows but tokens has "
              + tokens.length
              + " entries: one row per token");
    }
    return new ParsedLine.Embedded(
        new Sentence(
            id != null ? id : SentenceParser.derivedId(row.toString()), tokens, embeddings));
  }

  private String[] tokens(Object value) throws BadRecordException {
    if (value == null) {
      throw new BadRecordException(ErrorKind.INVALID, "tokens are missing");
    }
    List<?> list = (List<?>) value;
    if (list.size() > maxTokens) {
      throw new BadRecordException(
          ErrorKind.TOO_LARGE, "sentence has more than --maxTokens=" + maxTokens + " tokens");
    }
    if (list.isEmpty()) {
      throw new BadRecordException(
          ErrorKind.INVALID, "tokens is empty: a sentence needs at least one token");
    }
    String[] tokens = new String[list.size()];
    for (int i = 0; i < tokens.length; i++) {
      Object t = list.get(i);
      if (t == null) {
        throw new BadRecordException(ErrorKind.INVALID, "tokens[" + i + "] is null, not a string");
      }
      tokens[i] = t.toString();
    }
    return tokens;
  }

  private double[][] embeddings(List<?> rows) throws BadRecordException {
    if (rows.size() > maxTokens) {
      throw new BadRecordException(
          ErrorKind.TOO_LARGE, "embeddings has more than --maxTokens=" + maxTokens + " rows");
    }
    if (rows.isEmpty()) {
      throw new BadRecordException(
          ErrorKind.INVALID, "embeddings is empty: a sentence needs at least one row");
    }
    double[][] out = new double[rows.size()][];
    int width = expectedWidth;
    for (int r = 0; r < out.length; r++) {
      Object rowValue = rows.get(r);
      if (rowValue == null) {
        throw new BadRecordException(
            ErrorKind.INVALID, "embeddings row " + r + " is null, not an array");
      }
      List<?> values = (List<?>) rowValue;
      int count = values.size();
      double[] row = new double[count];
      for (int i = 0; i < count; i++) {
        Object v = values.get(i);
        if (v == null) {
          throw new BadRecordException(
              ErrorKind.INVALID, "embeddings row " + r + " value " + i + " is null, not a number");
        }
        // A float widens exactly: float inputs give the same sentence as their doubles.
        double d = ((Number) v).doubleValue();
        if (!Double.isFinite(d)) {
          throw new BadRecordException(
              ErrorKind.NON_FINITE,
              "embeddings row " + r + " value " + i + " is " + d + ": values must be finite");
        }
        row[i] = d;
      }
      // The values first, then the width, in the order SentenceParser meets them.
      if (width == 0) {
        width = count;
      }
      if (count != width) {
        throw SentenceParser.widthMismatch(r, count, width, expectedWidth);
      }
      out[r] = row;
    }
    if (width == 0) {
      throw new BadRecordException(
          ErrorKind.INVALID, "embeddings rows are empty: d_model must be at least 1");
    }
    return out;
  }

  // Whether the schema is `depth` lists (each maybe nullable) around `leaf` (maybe nullable).
  private static boolean is(Schema schema, int depth, Schema.Type leaf) {
    Schema s = nonNull(schema);
    for (int i = 0; i < depth; i++) {
      if (s.getType() != Schema.Type.ARRAY) {
        return false;
      }
      s = nonNull(s.getElementType());
    }
    return s.getType() == leaf;
  }

  // A union of null and one type, as optional Parquet columns read, is that type.
  private static Schema nonNull(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      List<Schema> types = s.getTypes();
      if (types.size() == 2 && types.get(0).getType() == Schema.Type.NULL) {
        return types.get(1);
      }
      if (types.size() == 2 && types.get(1).getType() == Schema.Type.NULL) {
        return types.get(0);
      }
    }
    return s;
  }

  private static String describe(Schema schema) {
    Schema s = nonNull(schema);
    if (s.getType() == Schema.Type.ARRAY) {
      return "list<" + describe(s.getElementType()) + ">";
    }
    return s.getType().getName();
  }
}
