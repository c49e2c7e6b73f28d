package dev.beamattention.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads one JSON Lines record, {@code {"id": ..., "tokens": [...], "embeddings": [[...], ...]}},
 * with Jackson's streaming parser straight into arrays.
 *
 * <p>Lines given as bytes are first tried by {@link FastLineReader}, which reads a plain record
 * without Jackson's tokens and leaves every other line, and every error, to the path here.
 *
 * <p>Every way a line can be unusable becomes a {@link BadRecordException} that says what and
 * where. NaN and Infinity tokens are read (Jackson allows them on request) so that the message can
 * name them rather than call the line malformed.
 */
public final class SentenceParser implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  private final int expectedWidth;
  private final int maxTokens;

  /**
   * @param expectedWidth d_model the weights need, or 0 when any width goes
   * @param maxTokens the most tokens a sentence may have
   */
  public SentenceParser(int expectedWidth, int maxTokens) {
    this.expectedWidth = expectedWidth;
    this.maxTokens = maxTokens;
  }

  /**
   * Parses one line that must carry its embeddings.
   *
   * @throws BadRecordException naming what is wrong and where
   */
  public Sentence parse(String line) throws BadRecordException {
    // Without tokensSuffice a line either carries its embeddings or is refused.
    return ((ParsedLine.Embedded) parseRecord(line, false)).sentence();
  }

  /**
   * Parses one line into a {@link Sentence}, or, when {@code tokensSuffice} and the line has no
   * embeddings, into a {@link PendingSentence} whose vectors come from a table.
   *
   * @throws BadRecordException naming what is wrong and where
   */
  public ParsedLine parseRecord(String line, boolean tokensSuffice) throws BadRecordException {
    try (JsonParser p = JSON.createParser(line)) {
      return parseRecord(p, line, null, 0, 0, tokensSuffice);
    } catch (IOException e) {
      throw new BadRecordException(ErrorKind.MALFORMED, "unreadable record: " + e.getMessage());
    }
  }

  /**
   * As {@link #parseRecord(String, boolean)}, on a line of UTF-8 bytes {@code line[offset, offset +
   * length)}, which is not modified. Bytes that are not UTF-8 make a bad record.
   *
   * @throws BadRecordException naming what is wrong and where
   */
  public ParsedLine parseRecord(byte[] line, int offset, int length, boolean tokensSuffice)
      throws BadRecordException {
    // Most lines are plain records: read straight from the bytes, and only the rest, with every
    // error, through Jackson's tokens. A reader per line keeps the parser thread-safe. The fast
    // path takes only lines of ASCII, so the UTF-8 check is needed after it only.
    Optional<Sentence> fast =
        new FastLineReader(expectedWidth, maxTokens).read(line, offset, length);
    if (fast.isPresent()) {
      return new ParsedLine.Embedded(fast.get());
    }
    Utf8Check.require(line, offset, length); // Jackson lets overlong forms and surrogates through
    try (JsonParser p = JSON.createParser(line, offset, length)) {
      return parseRecord(p, null, line, offset, length, tokensSuffice);
    } catch (IOException e) {
      throw new BadRecordException(ErrorKind.MALFORMED, "unreadable record: " + e.getMessage());
    }
  }

  // The line is given either as text or as bytes; it is only needed for a derived id or a
  // sentence that waits for its vectors.
  private ParsedLine parseRecord(
      JsonParser p, String text, byte[] bytes, int offset, int length, boolean tokensSuffice)
      throws BadRecordException {
    String id = null;
    String[] tokens = null;
    double[][] embeddings = null;
    try {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRecordException(ErrorKind.MALFORMED, "a record must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id":
            if (value == JsonToken.VALUE_STRING) {
              id = p.getText();
            } else if (value != JsonToken.VALUE_NULL) {
              throw new BadRecordException(
                  ErrorKind.INVALID, "id must be a string, got " + describe(value));
            }
            break;
          case "tokens":
            tokens = readTokens(p, value);
            break;
          case "embeddings":
            embeddings = readEmbeddings(p, value);
            break;
          default:
            p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new BadRecordException(ErrorKind.MALFORMED, "text follows the JSON object");
      }
    } catch (JsonProcessingException e) {
      throw new BadRecordException(
          ErrorKind.MALFORMED, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRecordException(ErrorKind.MALFORMED, "unreadable record: " + e.getMessage());
    }
    if (tokens == null) {
      throw new BadRecordException(ErrorKind.INVALID, "tokens are missing");
    }
    if (embeddings == null) {
      if (tokensSuffice) {
        String line =
            text != null ? text : new String(bytes, offset, length, StandardCharsets.UTF_8);
        return new ParsedLine.TokensOnly(
            new PendingSentence(id != null ? id : derivedId(line), tokens, line));
      }
      throw new BadRecordException(ErrorKind.INVALID, "embeddings are missing");
    }
    if (embeddings.length != tokens.length) {
      throw new BadRecordException(
          ErrorKind.INVALID,
          "embeddings has "
              + embeddings.length
              + " rows but tokens has "
              + tokens.length
              + " entries: one row per token");
    }
    if (id == null) {
      // Hashed only for a line that is used: a bad one needs no id.
      id = text != null ? derivedId(text) : derivedId(bytes, offset, length);
    }
    return new ParsedLine.Embedded(new Sentence(id, tokens, embeddings));
  }

  /**
   * The id of a record that has none: "sha256-" and the first 16 hex digits of the SHA-256 of its
   * line, so the same line gets the same id on every runner.
   */
  public static String derivedId(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return derivedId(bytes, 0, bytes.length);
  }

  /** As {@link #derivedId(String)}, for a line given as its UTF-8 bytes. */
  public static String derivedId(byte[] line, int offset, int length) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(line, offset, length);
      byte[] hash = sha.digest();
      StringBuilder id = new StringBuilder("sha256-");
      for (int i = 0; i < 8; i++) {
        id.append(Character.forDigit((hash[i] >> 4) & 0xf, 16));
        id.append(Character.forDigit(hash[i] & 0xf, 16));
      }
      return id.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private String[] readTokens(JsonParser p, JsonToken value)
      throws IOException, BadRecordException {
    if (value != JsonToken.START_ARRAY) {
      throw new BadRecordException(
          ErrorKind.INVALID, "tokens must be an array of strings, got " + describe(value));
    }
    List<String> tokens = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t != JsonToken.VALUE_STRING) {
        throw new BadRecordException(
            ErrorKind.INVALID,
            "tokens[" + tokens.size() + "] is " + describe(t) + ", not a string");
      }
      if (tokens.size() == maxTokens) {
        throw new BadRecordException(
            ErrorKind.TOO_LARGE, "sentence has more than --maxTokens=" + maxTokens + " tokens");
      }
      tokens.add(p.getText());
    }
    if (tokens.isEmpty()) {
      throw new BadRecordException(
          ErrorKind.INVALID, "tokens is empty: a sentence needs at least one token");
    }
    return tokens.toArray(new String[0]);
  }

  private double[][] readEmbeddings(JsonParser p, JsonToken value)
      throws IOException, BadRecordException {
    if (value != JsonToken.START_ARRAY) {
      throw new BadRecordException(
          ErrorKind.INVALID, "embeddings must be an array of rows, got " + describe(value));
    }
    List<double[]> rows = new ArrayList<>();
    int width = expectedWidth;
    double[] scratch = new double[Math.max(16, width)];
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      int r = rows.size();
      if (t != JsonToken.START_ARRAY) {
        throw new BadRecordException(
            ErrorKind.INVALID, "embeddings row " + r + " is " + describe(t) + ", not an array");
      }
      if (r == maxTokens) {
        throw new BadRecordException(
            ErrorKind.TOO_LARGE, "embeddings has more than --maxTokens=" + maxTokens + " rows");
      }
      int count = 0;
      for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
        if (v != JsonToken.VALUE_NUMBER_FLOAT && v != JsonToken.VALUE_NUMBER_INT) {
          throw new BadRecordException(
              ErrorKind.INVALID,
              "embeddings row " + r + " value " + count + " is " + describe(v) + ", not a number");
        }
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
          throw new BadRecordException(
              ErrorKind.NON_FINITE,
              "embeddings row "
                  + r
                  + " value "
                  + count
                  + " is "
                  + p.getText()
                  + ": values must be finite");
        }
        if (count == scratch.length) {
          scratch = Arrays.copyOf(scratch, count * 2);
        }
        scratch[count++] = d;
      }
      if (width == 0) {
        width = count;
      }
      if (count != width) {
        throw SentenceParser.widthMismatch(r, count, width, expectedWidth);
      }
      rows.add(Arrays.copyOf(scratch, count));
    }
    if (rows.isEmpty()) {
      throw new BadRecordException(
          ErrorKind.INVALID, "embeddings is empty: a sentence needs at least one row");
    }
    if (width == 0) {
      throw new BadRecordException(
          ErrorKind.INVALID, "embeddings rows are empty: d_model must be at least 1");
    }
    return rows.toArray(new double[0][]);
  }

  /**
   * The error of embeddings row {@code r} holding {@code count} values where {@code width} were
   * expected: a width mismatch when the weights fixed d_model ({@code expectedWidth > 0}), else an
   * invalid record (its rows disagree with row 0). Shared with the Parquet reader, so both word it
   * alike.
   */
  public static BadRecordException widthMismatch(int r, int count, int width, int expectedWidth) {
    return new BadRecordException(
        expectedWidth > 0 ? ErrorKind.WIDTH : ErrorKind.INVALID,
        "embeddings row "
            + r
            + " has "
            + count
            + " values, expected "
            + width
            + (expectedWidth > 0 ? " (d_model of the weights)" : " (as row 0)"));
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the line";
    }
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.toString();
    }
  }
}
