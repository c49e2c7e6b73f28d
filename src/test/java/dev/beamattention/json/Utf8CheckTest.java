package dev.beamattention.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.ErrorKind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8CheckTest {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static boolean jdkValid(byte[] b, int off, int len) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, off, len));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void refusesWhatJacksonLetThrough() {
    // Overlong '/' and a lone high surrogate, each after ASCII that the fast path skips.
    byte[] overlong = "{\"id\":\"a\"} padding".getBytes(StandardCharsets.US_ASCII);
    byte[] line = java.util.Arrays.copyOf(overlong, overlong.length + 2);
    line[overlong.length] = (byte) 0xC0;
    line[overlong.length + 1] = (byte) 0xAF;
    assertEquals(overlong.length, Utf8Check.firstInvalid(line, 0, line.length));
    assertEquals(3, Utf8Check.firstInvalid(bytes('a', 'b', 'c', 0xED, 0xA0, 0x80), 0, 6));
    assertEquals(0, Utf8Check.firstInvalid(bytes(0xE0, 0x80, 0xAF), 0, 3)); // overlong, 3 bytes
    assertEquals(0, Utf8Check.firstInvalid(bytes(0xF4, 0x90, 0x80, 0x80), 0, 4)); // > U+10FFFF
    assertEquals(0, Utf8Check.firstInvalid(bytes(0x80), 0, 1)); // a stray continuation
    assertEquals(1, Utf8Check.firstInvalid(bytes('x', 0xE2, 0x82), 0, 3)); // cut short
    assertEquals(-1, Utf8Check.firstInvalid("é€😀 ok".getBytes(StandardCharsets.UTF_8), 0, 12));
    // Only the given range is looked at.
    assertEquals(-1, Utf8Check.firstInvalid(bytes(0xC0, 'a', 'b', 0xAF), 1, 2));
  }

  @Test
  void agreesWithTheJdksStrictDecoderOnRandomBytes() {
    SplittableRandom random = new SplittableRandom(14);
    int[] pool = {
      '1', '.', ' ', 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF, 0xF0, 0x90, 0xF4,
      0x8F, 0xF5, 0xFF
    };
    for (int trial = 0; trial < 200_000; trial++) {
      byte[] b = new byte[1 + random.nextInt(20)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) pool[random.nextInt(pool.length)];
      }
      boolean valid = Utf8Check.firstInvalid(b, 0, b.length) < 0;
      assertEquals(jdkValid(b, 0, b.length), valid, java.util.Arrays.toString(b));
    }
  }

  @Test
  void theParserRefusesALineThatIsNotUtf8AsMalformed() {
    byte[] line =
        bytes(
            '{', '"', 'i', 'd', '"', ':', '"', 0xC0, 0xAF, '"', ',', '"', 't', 'o', 'k', 'e', 'n',
            's', '"', ':', '[', '"', 'a', '"', ']', ',', '"', 'e', 'm', 'b', 'e', 'd', 'd', 'i',
            'n', 'g', 's', '"', ':', '[', '[', '1', ']', ']', '}');
    BadRecordException e =
        assertThrows(
            BadRecordException.class,
            () -> new SentenceParser(0, 10).parseRecord(line, 0, line.length, false));
    assertEquals(ErrorKind.MALFORMED, e.kind());
    assertEquals(
        "not valid UTF-8: byte 7 of the line starts C0 AF 22 2C, no character", e.getMessage());
  }
}
