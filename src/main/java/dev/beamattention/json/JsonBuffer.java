package dev.beamattention.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer that output records are written into as UTF-8 JSON. Structure goes in as ASCII,
 * numbers through {@link ShortestDouble} (or {@link ShortestFloat}), and strings are quoted by
 * Jackson's {@link JsonStringEncoder}.
 *
 * <p>Why not a JsonGenerator: a record is mostly numbers, and the generator takes them as chars
 * only, to encode them again; here every byte is written once. Not thread-safe: one per writer.
 */
public final class JsonBuffer {
  private byte[] bytes;
  private int size;

  public JsonBuffer(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  public int size() {
    return size;
  }

  public void reset() {
    size = 0;
  }

  /** Appends ASCII text as it is: structure such as {@code {"id":}. */
  public JsonBuffer raw(String ascii) {
    ensure(ascii.length());
    for (int i = 0; i < ascii.length(); i++) {
      bytes[size++] = (byte) ascii.charAt(i);
    }
    return this;
  }

  /** Appends one ASCII character. */
  public JsonBuffer raw(char c) {
    ensure(1);
    bytes[size++] = (byte) c;
    return this;
  }

  /**
   * Appends a JSON string, or {@code null}. A lone surrogate, which UTF-8 cannot hold, is written
   * as its {@code \\uXXXX} escape, so the text parses back to the same chars.
   */
  public JsonBuffer string(String s) {
    if (s == null) {
      return raw("null");
    }
    ensure(s.length() + 2);
    int start = size;
    bytes[size++] = '"';
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        size = start;
        return quoted(s);
      }
      bytes[size++] = (byte) c;
    }
    bytes[size++] = '"';
    return this;
  }

  // Strings that need escapes or are not ASCII: Jackson quotes them, in runs between lone
  // surrogates.
  private JsonBuffer quoted(String s) {
    raw('"');
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c)
                && i + 1 < s.length()
                && Character.isLowSurrogate(s.charAt(i + 1));
        if (paired) {
          i++;
          continue;
        }
        append(JsonStringEncoder.getInstance().quoteAsUTF8(s.substring(from, i)));
        raw(String.format("\\u%04x", (int) c));
        from = i + 1;
      }
    }
    append(JsonStringEncoder.getInstance().quoteAsUTF8(s.substring(from)));
    return raw('"');
  }

  /** Appends {@code [s0,s1,...]}, a JSON array of strings. */
  public JsonBuffer strings(String[] values) {
    raw('[');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        raw(',');
      }
      string(values[i]);
    }
    return raw(']');
  }

  /** Appends {@code [[...],[...]]}, a matrix as a JSON array of rows. */
  public JsonBuffer rows(double[][] rows) {
    raw('[');
    for (int r = 0; r < rows.length; r++) {
      double[] row = rows[r];
      ensure(3 + row.length * (ShortestDouble.MAX_CHARS + 1) + ShortestDouble.ROOM);
      byte[] b = bytes;
      int pos = size;
      if (r > 0) {
        b[pos++] = ',';
      }
      b[pos++] = '[';
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          b[pos++] = ',';
        }
        pos = ShortestDouble.write(row[i], b, pos);
      }
      b[pos++] = ']';
      size = pos;
    }
    return raw(']');
  }

  /**
   * Appends a matrix as {@link #rows}, each value rounded to the nearest float and written as the
   * shortest decimal that parses back to that float ({@link ShortestFloat}). A value beyond the
   * float range (|x| > 3.4E38), which would round to infinity, is written as its double instead, so
   * nothing is lost and the line stays JSON.
   */
  public JsonBuffer floatRows(double[][] rows) {
    raw('[');
    for (int r = 0; r < rows.length; r++) {
      double[] row = rows[r];
      ensure(3 + row.length * (ShortestDouble.MAX_CHARS + 1) + ShortestDouble.ROOM);
      byte[] b = bytes;
      int pos = size;
      if (r > 0) {
        b[pos++] = ',';
      }
      b[pos++] = '[';
      for (int i = 0; i < row.length; i++) {
        if (i > 0) {
          b[pos++] = ',';
        }
        float f = (float) row[i];
        pos =
            Float.isInfinite(f)
                ? ShortestDouble.write(row[i], b, pos)
                : ShortestFloat.write(f, b, pos);
      }
      b[pos++] = ']';
      size = pos;
    }
    return raw(']');
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size);
  }

  /**
   * Writes the longest prefix that is a whole number of {@code block} bytes to {@code out}, and
   * keeps the rest (fewer than {@code block} bytes) at the start of this buffer.
   *
   * <p>Why: a stream whose every write is a multiple of the file system's page size writes whole
   * pages at page offsets, which Linux copies into its page cache as they are; a write that ends
   * part way into a page first has the page zeroed. Through Beam's local file system (which hands
   * on 8 KiB at a time) the sink's 1 MiB flushes, of any length, had every page zeroed and then
   * written.
   *
   * @param block the block size, at least 1
   * @throws IllegalArgumentException if {@code block < 1}
   */
  public void writeWholeBlocksTo(OutputStream out, int block) throws IOException {
    if (block < 1) {
      throw new IllegalArgumentException("block must be at least 1 byte: " + block);
    }
    int whole = size - size % block;
    out.write(bytes, 0, whole);
    System.arraycopy(bytes, whole, bytes, 0, size - whole);
    size -= whole;
  }

  @Override
  public String toString() {
    return new String(bytes, 0, size, StandardCharsets.UTF_8);
  }

  private void append(byte[] more) {
    ensure(more.length);
    System.arraycopy(more, 0, bytes, size, more.length);
    size += more.length;
  }

  private void ensure(int more) {
    long needed = (long) size + more;
    if (needed > bytes.length) {
      bytes = Arrays.copyOf(bytes, grownSize(bytes.length, needed));
    }
  }

  /** The largest array the JVM allocates. */
  static final int MAX_BYTES = Integer.MAX_VALUE - 8;

  /**
   * The new capacity of a buffer of {@code length} bytes that must hold {@code needed}: doubled, in
   * long arithmetic so that a buffer past 1 GiB still grows geometrically (doubling an int there
   * overflowed, and every later write then copied the whole buffer).
   *
   * @throws IllegalStateException when {@code needed} is more than one array can hold
   */
  static int grownSize(int length, long needed) {
    if (needed > MAX_BYTES) {
      throw new IllegalStateException(
          "a record of " + needed + " bytes is more than one JSON line can hold");
    }
    return (int) Math.min(MAX_BYTES, Math.max(2L * length, needed));
  }
}
