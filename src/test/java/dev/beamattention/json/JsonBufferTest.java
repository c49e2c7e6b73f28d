package dev.beamattention.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strings and rows as JSON bytes: read back by Jackson, they are what went in. */
class JsonBufferTest {
  private static final JsonFactory JSON = new JsonFactory();

  private static String readBackString(JsonBuffer out) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    out.writeTo(bytes);
    try (JsonParser p = JSON.createParser(bytes.toByteArray())) {
      assertEquals(JsonToken.VALUE_STRING, p.nextToken());
      return p.getText();
    }
  }

  @Test
  void stringsReadBackAsWritten() throws Exception {
    List<String> cases =
        List.of(
            "",
            "plain",
            "quote \" and backslash \\",
            "controls \u0000 \u0001 \n \r \t \u001f \u007f",
            "é ü ß 日本",
            "emoji \uD83D\uDE00 pair",
            "lone high \uD800 here",
            "lone low \uDC00",
            "ends high \uDBFF",
            "lone then pair \uD800\uD83D\uDE00",
            "reversed pair \uDE00\uD83D",
            "</script>&<'>");
    for (String s : cases) {
      JsonBuffer out = new JsonBuffer(4);
      out.string(s);
      assertEquals(s, readBackString(out), "for " + s);
    }
  }

  @Test
  void emojiGoOutAsFourByteUtf8() {
    JsonBuffer out = new JsonBuffer(4);
    out.string("\uD83D\uDE00");
    assertEquals("\"\uD83D\uDE00\"", out.toString());
    assertEquals(6, out.toString().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void rowsAndStructure() {
    JsonBuffer out = new JsonBuffer(1);
    out.raw('{')
        .raw("\"a\":")
        .rows(new double[][] {{1.0, -0.5}, {}, {1e-7}})
        .raw(",\"b\":")
        .strings(new String[] {"x", "y"})
        .raw(",\"c\":")
        .string(null)
        .raw('}');
    assertEquals("{\"a\":[[1.0,-0.5],[],[1.0E-7]],\"b\":[\"x\",\"y\"],\"c\":null}", out.toString());
    out.reset();
    assertEquals(0, out.size());
    out.rows(new double[][] {{-0.0}});
    assertEquals("[[-0.0]]", out.toString());
  }

  @Test
  void growsGeometricallyPastOneGibibyteAndRefusesMoreThanAnArrayHolds() {
    int gib = 1 << 30;
    assertEquals(JsonBuffer.MAX_BYTES, JsonBuffer.grownSize(gib + 10, gib + 11L));
    assertEquals(2 * 1000, JsonBuffer.grownSize(1000, 1001));
    assertEquals(5000, JsonBuffer.grownSize(1000, 5000));
    assertThrows(
        IllegalStateException.class,
        () -> JsonBuffer.grownSize(JsonBuffer.MAX_BYTES, JsonBuffer.MAX_BYTES + 1L));
  }

  @Test
  void wholeBlocksGoOutAndTheRestStaysInOrder() throws Exception {
    StringBuilder letters = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      letters.append((char) ('a' + i % 26));
    }
    byte[] text = letters.toString().getBytes(StandardCharsets.US_ASCII);
    JsonBuffer buffer = new JsonBuffer(16);
    buffer.raw(letters.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    buffer.writeWholeBlocksTo(out, 8192);
    assertEquals(16_384, out.size(), "two whole blocks");
    assertEquals(20_000 - 16_384, buffer.size(), "the rest is kept");
    buffer.raw(letters.substring(0, 10));
    buffer.writeWholeBlocksTo(out, 8192);
    assertEquals(16_384, out.size(), "less than a block: nothing goes out");
    buffer.writeTo(out);
    byte[] expected = new byte[20_010];
    System.arraycopy(text, 0, expected, 0, 20_000);
    System.arraycopy(text, 0, expected, 20_000, 10);
    assertArrayEquals(expected, out.toByteArray());
    assertThrows(IllegalArgumentException.class, () -> buffer.writeWholeBlocksTo(out, 0));
  }
}
