package dev.beamattention.json;

import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.ErrorKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation of a line's bytes, as the Unicode standard defines it (table 3-7): no
 * overlong forms such as {@code C0 AF} for '/', no surrogates such as {@code ED A0 80}, nothing
 * past U+10FFFF, no stray continuation bytes. Jackson's UTF-8 parser accepts some of these, so the
 * reader checks each line here first.
 *
 * <p>Lines are mostly ASCII digits: eight bytes at a time are tested for a high bit, and only the
 * rest is decoded byte by byte.
 */
public final class Utf8Check {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Check() {}

  /**
   * Refuses a line that is not valid UTF-8, naming the first bad byte's offset in the line and up
   * to four bytes from there.
   *
   * @throws BadRecordException of kind {@link ErrorKind#MALFORMED}
   */
  public static void require(byte[] bytes, int offset, int length) throws BadRecordException {
    int bad = firstInvalid(bytes, offset, length);
    if (bad >= 0) {
      StringBuilder shown = new StringBuilder();
      for (int k = bad; k < Math.min(length, bad + 4); k++) {
        shown.append(shown.length() == 0 ? "" : " ");
        shown.append(String.format(java.util.Locale.ROOT, "%02X", bytes[offset + k] & 0xff));
      }
      throw new BadRecordException(
          ErrorKind.MALFORMED,
          "not valid UTF-8: byte " + bad + " of the line starts " + shown + ", no character");
    }
  }

  /**
   * The offset, from {@code offset}, of the first byte of {@code bytes[offset, offset + length)}
   * that starts an invalid sequence; -1 when all of it is valid UTF-8.
   */
  public static int firstInvalid(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end) {
      // ASCII fast path: a word with no high bit is eight valid characters.
      while (i + 8 <= end && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
        i += 8;
      }
      if (i == end) {
        break;
      }
      int b = bytes[i];
      if (b >= 0) {
        i++;
        continue;
      }
      int next = sequenceEnd(bytes, i, end, b & 0xff);
      if (next < 0) {
        return i - offset;
      }
      i = next;
    }
    return -1;
  }

  // The end of the well-formed sequence that starts at i with lead byte `lead`; -1 if there is
  // none.
  private static int sequenceEnd(byte[] bytes, int i, int end, int lead) {
    int need;
    int low = 0x80; // the range of the second byte, which rules out overlongs and surrogates
    int high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      need = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      if (lead == 0xe0) {
        low = 0xa0;
      } else if (lead == 0xed) {
        high = 0x9f;
      }
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      if (lead == 0xf0) {
        low = 0x90;
      } else if (lead == 0xf4) {
        high = 0x8f;
      }
    } else {
      return -1; // 80..C1 (continuation or overlong lead) and F5..FF never start a character
    }
    if (i + need >= end) {
      return -1;
    }
    int second = bytes[i + 1] & 0xff;
    if (second < low || second > high) {
      return -1;
    }
    for (int k = 2; k <= need; k++) {
      if ((bytes[i + k] & 0xc0) != 0x80) {
        return -1;
      }
    }
    return i + need + 1;
  }
}
