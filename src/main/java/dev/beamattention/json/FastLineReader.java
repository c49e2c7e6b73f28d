package dev.beamattention.json;

import ch.randelshofer.fastdoubleparser.JsonDoubleParser;
import dev.beamattention.record.Sentence;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The fast path of {@link SentenceParser}: reads a well-formed record {@code {"id": ..., "tokens":
 * [...], "embeddings": [[...], ...]}} straight from its UTF-8 bytes, numbers through
 * FastDoubleParser's byte API, without a tokenizer in between.
 *
 * <p>It takes only lines it is sure of and gives up on anything else: a string with an escape or a
 * byte outside ASCII, a field other than the three (or one of them twice), a number outside JSON's
 * grammar or too long, a value that is not finite, and every line that would be an error record.
 * Then {@link SentenceParser} reads the line again with Jackson, which decides and words the error,
 * so messages do not depend on which path ran. Where the fast path succeeds its result is the one
 * Jackson gives: the same strings, and every number the nearest double (an integer token too, which
 * Jackson reads as an integer and converts, so {@code -0} is {@code 0.0} as there).
 *
 * <p>Not thread-safe: one per parser instance and thread (it keeps a scratch row).
 */
final class FastLineReader {
  // Jackson refuses longer numbers by default; leave them to it.
  private static final int MAX_NUMBER_CHARS = 100;
  // plainNumber reads at most 1 + 8 + 3 * 8 bytes from where a number starts (33).
  private static final int FAST_NUMBER_BYTES = 40;
  private static final long[] POW10 = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L
  };
  // 10^(18 - k): a mantissa below it takes k more digits and stays within 18.
  private static final long[] MANTISSA_ROOM = {
    1_000_000_000_000_000_000L,
    100_000_000_000_000_000L,
    10_000_000_000_000_000L,
    1_000_000_000_000_000L,
    100_000_000_000_000L,
    10_000_000_000_000L,
    1_000_000_000_000L,
    100_000_000_000L,
    10_000_000_000L
  };
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int expectedWidth;
  private final int maxTokens;
  private final List<String> tokens = new ArrayList<>();
  private final List<double[]> rows = new ArrayList<>();
  private double[] scratch;

  private byte[] b;
  private int pos;
  private int end;

  FastLineReader(int expectedWidth, int maxTokens) {
    this.expectedWidth = expectedWidth;
    this.maxTokens = maxTokens;
  }

  /**
   * The sentence in {@code line[offset, offset + length)}, or empty when the line is for Jackson to
   * read. The bytes are not modified.
   */
  Optional<Sentence> read(byte[] line, int offset, int length) {
    b = line;
    pos = offset;
    end = offset + length;
    tokens.clear();
    rows.clear();
    try {
      return Optional.ofNullable(record(offset, length));
    } finally {
      b = null;
    }
  }

  // null: give up (the only null in this class, kept inside it).
  private Sentence record(int offset, int length) {
    if (!skipTo('{')) {
      return null;
    }
    String id = null;
    boolean seenId = false;
    String[] toks = null;
    double[][] embeddings = null;
    if (!peekIs('}')) {
      do {
        String field = string();
        if (field == null || !skipTo(':')) {
          return null;
        }
        switch (field) {
          case "id":
            if (seenId) {
              return null;
            }
            seenId = true;
            skipSpace();
            if (pos < end && b[pos] == 'n') {
              if (!literal("null")) {
                return null;
              }
            } else if ((id = string()) == null) {
              return null;
            }
            break;
          case "tokens":
            if (toks != null || (toks = tokens()) == null) {
              return null;
            }
            break;
          case "embeddings":
            if (embeddings != null || (embeddings = embeddings()) == null) {
              return null;
            }
            break;
          default:
            return null;
        }
      } while (skipComma());
    }
    if (!skipTo('}')) {
      return null;
    }
    skipSpace();
    if (pos != end || toks == null || embeddings == null || embeddings.length != toks.length) {
      return null;
    }
    if (id == null) {
      id = SentenceParser.derivedId(b, offset, length);
    }
    return new Sentence(id, toks, embeddings);
  }

  private String[] tokens() {
    if (!skipTo('[')) {
      return null;
    }
    if (peekIs(']')) {
      return null; // empty: an error record
    }
    do {
      String t = string();
      if (t == null || tokens.size() == maxTokens) {
        return null;
      }
      tokens.add(t);
    } while (skipComma());
    return skipTo(']') ? tokens.toArray(new String[0]) : null;
  }

  private double[][] embeddings() {
    if (!skipTo('[') || peekIs(']')) {
      return null;
    }
    int width = expectedWidth;
    do {
      if (rows.size() == maxTokens || !skipTo('[')) {
        return null;
      }
      int count = 0;
      // Once the width is known, straight into a row of that width (a longer row is Jackson's to
      // report); the first row of an unknown width goes through the growing scratch row.
      if (width == 0 && scratch == null) {
        scratch = new double[16]; // a reader lives for one line: most never need it
      }
      double[] row = width > 0 ? new double[width] : scratch;
      if (!peekIs(']')) {
        boolean more = true;
        while (more) {
          if (count == row.length) {
            if (width > 0) {
              return null;
            }
            row = scratch = Arrays.copyOf(scratch, count * 2);
          }
          // The common numbers in a tight loop; the general path takes one number it leaves.
          int fast = plainNumbers(row, count);
          if (fast == count) {
            skipSpace();
            double d = number();
            if (Double.isNaN(d)) {
              return null;
            }
            row[count++] = d;
          } else {
            count = fast;
          }
          more = skipComma();
        }
      }
      if (!skipTo(']')) {
        return null;
      }
      if (width == 0) {
        width = count;
      }
      if (count != width || count == 0) {
        return null;
      }
      rows.add(row == scratch ? Arrays.copyOf(scratch, count) : row);
    } while (skipComma());
    return skipTo(']') ? rows.toArray(new double[0][]) : null;
  }

  // The finite value of a JSON number at pos, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
  // followed by a byte that can end it; NaN to give up. Moves pos past it. The digits are
  // gathered as they are checked, and DecimalToDouble converts them in one pass; the few numbers
  // it leaves (more than 18 significant digits, halfway cases, subnormals) go to FastDoubleParser.
  private double number() {
    int start = pos;
    boolean negative = pos < end && b[pos] == '-';
    if (negative) {
      pos++;
    }
    long m = 0;
    int significant = 0; // digits in m, leading zeros not counted
    int dropped = 0; // integer digits past MAX_DIGITS, each a power of ten
    if (pos >= end) {
      return Double.NaN;
    }
    if (b[pos] == '0') {
      pos++;
    } else if (pos < end && b[pos] >= '1' && b[pos] <= '9') {
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        if (significant < DecimalToDouble.MAX_DIGITS) {
          m = m * 10 + (b[pos] - '0');
          significant++;
        } else {
          dropped++;
        }
        pos++;
      }
    } else {
      return Double.NaN;
    }
    boolean integer = true;
    int scale = 0; // fraction digits taken into m
    if (pos < end && b[pos] == '.') {
      integer = false;
      pos++;
      int first = pos;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        if (significant < DecimalToDouble.MAX_DIGITS) {
          m = m * 10 + (b[pos] - '0');
          scale++;
          if (m != 0) {
            significant++;
          }
        } else {
          dropped = -1; // a fraction digit lost: leave it to the full parser
        }
        pos++;
      }
      if (pos == first) {
        return Double.NaN;
      }
    }
    int exponent = 0;
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      integer = false;
      pos++;
      boolean minus = false;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        minus = b[pos] == '-';
        pos++;
      }
      int first = pos;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        if (exponent < 100_000) {
          exponent = exponent * 10 + (b[pos] - '0');
        }
        pos++;
      }
      if (pos == first) {
        return Double.NaN;
      }
      exponent = minus ? -exponent : exponent;
    }
    if (pos - start > MAX_NUMBER_CHARS || pos >= end) {
      return Double.NaN;
    }
    byte next = b[pos];
    if (next != ',' && next != ']' && !isSpace(next)) {
      return Double.NaN;
    }
    if (integer && m == 0) {
      return 0.0; // Jackson reads -0 as the integer 0
    }
    double d = Double.NaN;
    if (dropped == 0) {
      d = DecimalToDouble.of(m, exponent - scale, negative);
    }
    if (Double.isNaN(d)) {
      try {
        d = JsonDoubleParser.parseDouble(b, start, pos - start);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.isFinite(d) ? d : Double.NaN;
  }

  // Reads numbers into row from index from on, for as long as each is plainNumber's and is followed
  // by a comma (and optional whitespace) or ends the row, in local variables rather than the
  // reader's fields; pos is left after the last number read, before its comma or bracket, and
  // unmoved when none was read. Returns the index after the last number read.
  private int plainNumbers(double[] row, int from) {
    byte[] bytes = b;
    int limit = end - FAST_NUMBER_BYTES;
    int p = pos;
    int last = -1;
    int n = from;
    while (n < row.length && p <= limit) {
      int after = plainNumber(bytes, p, row, n);
      if (after < 0) {
        break;
      }
      n++;
      last = after;
      if (bytes[after] != ',') {
        break;
      }
      p = after + 1;
      while (p < end && isSpace(bytes[p])) {
        p++;
      }
    }
    if (last >= 0) {
      pos = last;
    }
    return n;
  }

  // The commonest number, -?(0|[1-9][0-9]{0,6})\.[0-9]+ of at most 18 significant digits and
  // followed by a byte that can end it, read a word of eight bytes at a time, into out[i].
  // Returns the position after it, or -1 (out untouched) for anything else, which number() then
  // reads. Needs FAST_NUMBER_BYTES from p. (Reading all three words of the fraction and combining
  // them without a branch on its length was slower.)
  static int plainNumber(byte[] b, int p, double[] out, int i) {
    int minus = (((b[p] & 0xFF) ^ '-') - 1) >>> 31;
    p += minus;
    long word = (long) LONG_LE.get(b, p);
    int k = leadingDigits(word);
    if (k == 0
        || k == 8
        || ((word & 0xFF) == '0' && k > 1)
        || ((word >>> (k << 3)) & 0xFF) != '.') {
      return -1;
    }
    long m = digitsValue(word, k);
    p += k + 1;
    int scale = 0;
    word = (long) LONG_LE.get(b, p);
    k = leadingDigits(word);
    if (k == 0) {
      return -1;
    }
    while (true) {
      // At most 18 significant digits in all: m has at most 18 - k (m < 10^(18 - k)).
      if (m >= MANTISSA_ROOM[k]) {
        return -1;
      }
      m = m * POW10[k] + digitsValue(word, k);
      scale += k;
      p += k;
      if (k < 8) {
        break;
      }
      if (scale == 24) {
        return -1; // a run of zeros longer than the words read: leave it
      }
      word = (long) LONG_LE.get(b, p);
      k = leadingDigits(word);
      if (k == 0) {
        break;
      }
    }
    byte next = b[p];
    if (next != ',' && next != ']' && !isSpace(next)) {
      return -1;
    }
    double d = DecimalToDouble.of(m, -scale, minus != 0);
    if (Double.isNaN(d)) {
      return -1;
    }
    out[i] = d;
    return p;
  }

  // How many of a little-endian word's bytes, from the first, are ASCII digits (0 to 8). A byte
  // is one when its high nibble is 3 and stays 3 with 6 added; a carry out of a byte (0xFA and
  // up, not a digit) only reaches bytes after the first that is not a digit.
  static int leadingDigits(long word) {
    long notDigit =
        ((word & 0xF0F0_F0F0_F0F0_F0F0L) ^ 0x3030_3030_3030_3030L)
            | (((word + 0x0606_0606_0606_0606L) & 0xF0F0_F0F0_F0F0_F0F0L) ^ 0x3030_3030_3030_3030L);
    return Long.numberOfTrailingZeros(notDigit) >>> 3;
  }

  // The value of the first k (1 to 8) bytes of a word, all ASCII digits: moved to the top of the
  // word with '0' bytes below them, so that eightDigitsValue reads leading zeros.
  static long digitsValue(long word, int k) {
    int drop = (8 - k) << 3;
    return eightDigitsValue((word << drop) | (0x3030_3030_3030_3030L & ((1L << drop) - 1)));
  }

  // The value of eight ASCII digits in a little-endian word, the first digit the most significant:
  // pairs of digits combined in every other byte, then pairs of pairs and the two halves by two
  // multiplications (Lemire's SWAR method). Tested against digit-by-digit arithmetic.
  static long eightDigitsValue(long word) {
    long v = word - 0x3030_3030_3030_3030L;
    v = v * 10 + (v >>> 8);
    return ((v & 0x0000_00FF_0000_00FFL) * (100 + (1_000_000L << 32))
            + ((v >>> 16) & 0x0000_00FF_0000_00FFL) * (1 + (10_000L << 32)))
        >>> 32;
  }

  // A string of printable ASCII without escapes; null for anything else.
  private String string() {
    if (!skipTo('"')) {
      return null;
    }
    int start = pos;
    while (pos < end) {
      byte c = b[pos];
      if (c == '"') {
        String s = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
      }
      if (c < 0x20 || c == '\\') { // also every byte >= 0x80, negative as a byte
        return null;
      }
      pos++;
    }
    return null;
  }

  private boolean literal(String word) {
    int n = word.length();
    if (end - pos < n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[pos + i] != word.charAt(i)) {
        return false;
      }
    }
    pos += n;
    return true;
  }

  // Skips whitespace, then consumes c if it is next.
  private boolean skipTo(char c) {
    skipSpace();
    if (pos < end && b[pos] == c) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean skipComma() {
    return skipTo(',');
  }

  // Skips whitespace; true when c is next (not consumed).
  private boolean peekIs(char c) {
    skipSpace();
    return pos < end && b[pos] == c;
  }

  private void skipSpace() {
    while (pos < end && isSpace(b[pos])) {
      pos++;
    }
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
