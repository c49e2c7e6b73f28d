package dev.beamattention.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.Sentence;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast path reads exactly what Jackson reads: for every line it takes, the same id, tokens and
 * the same bits of every number as {@link SentenceParser}'s Jackson path (its String overload);
 * every other line it leaves to Jackson.
 */
class FastLineReaderTest {
  private static final long SEED = 20261201L;
  private static final int MAX_TOKENS = 4096;

  @Test
  void randomRecordsReadAsJacksonReadsThem() throws Exception {
    Random random = new Random(SEED);
    SentenceParser parser = new SentenceParser(0, MAX_TOKENS);
    for (int line = 0; line < 2000; line++) {
      int n = 1 + random.nextInt(6);
      // Up to 40 numbers a row: past the 16 of the first row's scratch when the width is unknown.
      int d = 1 + random.nextInt(line % 2 == 0 ? 9 : 40);
      StringBuilder s =
          new StringBuilder(random.nextBoolean() ? "{\"id\":\"s" + line + "\"," : "{");
      s.append(space(random)).append("\"tokens\"").append(space(random)).append(':').append('[');
      for (int t = 0; t < n; t++) {
        s.append(t > 0 ? "," : "").append(space(random)).append("\"w").append(t).append('"');
      }
      s.append("],\"embeddings\":").append(space(random)).append('[');
      for (int r = 0; r < n; r++) {
        s.append(r > 0 ? "," : "").append('[');
        for (int c = 0; c < d; c++) {
          s.append(c > 0 ? "," + space(random) : "").append(number(random));
        }
        s.append(space(random)).append(']');
      }
      s.append("]}").append(space(random));
      String text = s.toString();
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      assertTrue(new FastLineReader(0, MAX_TOKENS).read(bytes, 0, bytes.length).isPresent(), text);
      Sentence expected = jackson(parser, text);
      assertSame(expected, parser.parseRecord(bytes, 0, bytes.length, false), text);
      // With the width known, numbers go straight into rows of that width.
      assertSame(
          expected, new FastLineReader(d, MAX_TOKENS).read(bytes, 0, bytes.length).get(), text);
    }
  }

  @Test
  void integerMinusZeroIsPositiveZeroAsInJackson() throws Exception {
    String text = "{\"tokens\":[\"a\"],\"embeddings\":[[-0,-0.0,-0e0,0]]}";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    double[] row =
        new FastLineReader(0, MAX_TOKENS).read(bytes, 0, bytes.length).get().embeddings()[0];
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(row[0]));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(row[1]));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(row[2]));
    SentenceParser parser = new SentenceParser(0, MAX_TOKENS);
    assertSame(jackson(parser, text), parser.parseRecord(bytes, 0, bytes.length, false), text);
  }

  /** Lines the fast path must leave to Jackson: they are errors, or need its full reading. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"tokens\":[\"a\\u0062\"],\"embeddings\":[[1]]}",
        "{\"tokens\":[\"caf\u00e9\"],\"embeddings\":[[1]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[1]],\"extra\":1}",
        "{\"tokens\":[\"a\"],\"tokens\":[\"b\"],\"embeddings\":[[1]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[NaN]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[1e400]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[01]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[1.]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[.5]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[+1]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[1,]]}",
        "{\"tokens\":[\"a\",],\"embeddings\":[[1]]}",
        "{\"tokens\":[],\"embeddings\":[]}",
        "{\"tokens\":[\"a\",\"b\"],\"embeddings\":[[1]]}",
        "{\"tokens\":[\"a\",\"b\"],\"embeddings\":[[1],[1,2]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[]]}",
        "{\"tokens\":[\"a\"]}",
        "{\"id\":7,\"tokens\":[\"a\"],\"embeddings\":[[1]]}",
        "{\"tokens\":[\"a\"],\"embeddings\":[[1]]} x",
        "{\"tokens\":[\"a\"],\"embeddings\":[[1]]",
        "[{\"tokens\":[\"a\"],\"embeddings\":[[1]]}]",
        "{\"tokens\":[\"a\"],\"embeddings\":[[\"1\"]]}"
      })
  void leavesOtherLinesToJackson(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertFalse(new FastLineReader(0, MAX_TOKENS).read(bytes, 0, bytes.length).isPresent(), text);
  }

  @Test
  void leavesWidthAndTokenLimitsToJackson() {
    byte[] line = "{\"tokens\":[\"a\",\"b\"],\"embeddings\":[[1,2],[3,4]]}".getBytes();
    assertTrue(new FastLineReader(2, 2).read(line, 0, line.length).isPresent());
    assertFalse(new FastLineReader(3, 2).read(line, 0, line.length).isPresent());
    assertFalse(new FastLineReader(2, 1).read(line, 0, line.length).isPresent());
  }

  @Test
  void readsTheLineInsideALargerArrayAndDerivesTheSameId() {
    String text = "{\"tokens\":[\"a\"],\"embeddings\":[[0.5]]}";
    byte[] padded = ("xx" + text + "yy").getBytes(StandardCharsets.UTF_8);
    Optional<Sentence> s = new FastLineReader(0, MAX_TOKENS).read(padded, 2, text.length());
    assertEquals(SentenceParser.derivedId(text), s.get().id());
  }

  private static Sentence jackson(SentenceParser parser, String text) throws BadRecordException {
    return ((ParsedLine.Embedded) parser.parseRecord(text, false)).sentence();
  }

  private static void assertSame(Sentence expected, ParsedLine actual, String line) {
    assertSame(expected, ((ParsedLine.Embedded) actual).sentence(), line);
  }

  private static void assertSame(Sentence expected, Sentence got, String line) {
    assertEquals(expected.id(), got.id(), line);
    assertArrayEquals(expected.tokens(), got.tokens(), line);
    assertEquals(expected.embeddings().length, got.embeddings().length, line);
    for (int r = 0; r < got.embeddings().length; r++) {
      double[] e = expected.embeddings()[r];
      double[] g = got.embeddings()[r];
      assertEquals(e.length, g.length, line);
      for (int c = 0; c < e.length; c++) {
        assertEquals(Double.doubleToRawLongBits(e[c]), Double.doubleToRawLongBits(g[c]), line);
      }
    }
  }

  private static String space(Random random) {
    return random.nextInt(4) == 0 ? " " : "";
  }

  // Numbers in the forms JSON writers use: shortest doubles, fixed digits, exponents, integers
  // (some past a long), ties and subnormals.
  private static String number(Random random) {
    double v = random.nextGaussian() * Math.pow(10, random.nextInt(41) - 20);
    switch (random.nextInt(9)) {
      case 0:
        return Double.toString(v);
      case 1:
        return String.format("%.17g", v).replace("+", "").replace(" ", "");
      case 2:
        return Long.toString(random.nextLong());
      case 3:
        return random.nextLong() + "" + Math.abs(random.nextLong());
      case 4:
        return String.format("%de%d", random.nextInt(2000) - 1000, random.nextInt(600) - 300);
      case 5:
        return Double.toString(Double.MIN_VALUE * random.nextInt(1000));
      case 6:
        return "9007199254740993";
      case 7: // a fraction with a run of leading zeros, read eight digits at a time
        return "0."
            + "0".repeat(random.nextInt(20))
            + Math.abs(random.nextLong() >> random.nextInt(60));
      default:
        return ShortestDouble.toString(v);
    }
  }

  // The word tests against byte-by-byte ones: every digit and its neighbours in every lane, and
  // random words.
  @Test
  void eightDigitWordsAsByteByByte() {
    Random random = new Random(SEED);
    byte[] probes = {'0', '9', '/', ':', 0, (byte) 0x80, (byte) 0xFA, (byte) 0xFF, ' ', '.'};
    for (int i = 0; i < 2_000_000; i++) {
      byte[] w = new byte[8];
      for (int j = 0; j < 8; j++) {
        w[j] = (byte) ('0' + random.nextInt(10));
      }
      if (i % 2 == 1) {
        w[random.nextInt(8)] = probes[random.nextInt(probes.length)];
      }
      if (i % 7 == 0) {
        random.nextBytes(w);
      }
      long word = 0;
      boolean digits = true;
      long value = 0;
      for (int j = 7; j >= 0; j--) {
        word = word << 8 | (w[j] & 0xFF);
      }
      for (int j = 0; j < 8; j++) {
        digits &= w[j] >= '0' && w[j] <= '9';
        value = value * 10 + (w[j] - '0');
      }
      int k = 0;
      long prefix = 0;
      while (k < 8 && w[k] >= '0' && w[k] <= '9') {
        prefix = prefix * 10 + (w[k] - '0');
        k++;
      }
      assertEquals(k, FastLineReader.leadingDigits(word), Long.toHexString(word));
      if (k > 0) {
        assertEquals(prefix, FastLineReader.digitsValue(word, k), Long.toHexString(word));
      }
      if (digits) {
        assertEquals(value, FastLineReader.eightDigitsValue(word), Long.toHexString(word));
      }
    }
  }
}
