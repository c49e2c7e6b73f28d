package dev.beamattention.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Lays out a decimal f * 10^e as Double.toString does ({@code 0.001}, {@code 1234567.0}, {@code
 * 1.0E-4}), as ASCII straight into a byte buffer: the character half of {@link ShortestDouble}.
 *
 * <p>The layouts of values between 10^-3 and 10^7, nearly all of a model's numbers, are written
 * without loops: the digits are stored whole, eight bytes at a time, then the point and zeros
 * around them; bytes past the returned position may be overwritten with garbage.
 */
final class DecimalLayout {
  private static final long[] POW10 = powersOfTen();
  // "0.000000" as the bytes of a little-endian long.
  private static final long ZERO_POINT_ZEROS = 0x3030_3030_3030_2E30L;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private DecimalLayout() {}

  /**
   * Writes f * 10^e for 0 < f < 10^17 (trailing zeros allowed) from {@code pos}, as Double.toString
   * lays it out; needs {@link ShortestDouble#ROOM} bytes of room.
   *
   * @return the position after the last byte written
   */
  static int write(long f, int e, byte[] buf, int pos) {
    while (f % 10 == 0) {
      f /= 10;
      e++;
    }
    int len = digitCount(f);
    int exp = e + len - 1; // of the leading digit
    if (exp < 0 && exp >= -3) {
      // "0.", "0.0" or "0.00" before the digits.
      LONG_LE.set(buf, pos, ZERO_POINT_ZEROS);
      int at = pos + 1 - exp;
      digits(f, len, buf, at);
      return at + len;
    }
    if (exp >= 0 && exp < 7) {
      if (len <= exp + 1) {
        digits(f, len, buf, pos);
        pos += len;
        for (int i = len; i <= exp; i++) {
          buf[pos++] = '0';
        }
        buf[pos++] = '.';
        buf[pos++] = '0';
        return pos;
      }
      // Digits one place to the right, then the first exp + 1 of them moved left over the gap and
      // the point put after them: in the first eight bytes, bytes [0, exp] come from the digits
      // as written, byte exp + 1 is the point, and the rest stay where they were written.
      digits(f, len, buf, pos + 1);
      long written = (long) LONG_LE.get(buf, pos + 1);
      long inPlace = (long) LONG_LE.get(buf, pos);
      int point = (exp + 1) << 3;
      long low = -1L >>> (64 - point); // exp + 1 >= 1 bytes
      long high = -1L << point << 8; // bytes past the point (point + 8 <= 64)
      LONG_LE.set(buf, pos, (written & low) | ((long) '.' << point) | (inPlace & high));
      return pos + len + 1;
    }
    digits(f, len, buf, pos + 1);
    buf[pos] = buf[pos + 1];
    buf[pos + 1] = '.';
    pos += len + 1;
    if (len == 1) {
      buf[pos++] = '0';
    }
    buf[pos++] = 'E';
    if (exp < 0) {
      buf[pos++] = '-';
      exp = -exp;
    }
    if (exp >= 100) {
      buf[pos++] = (byte) ('0' + exp / 100);
      exp %= 100;
      buf[pos++] = (byte) ('0' + exp / 10);
    } else if (exp >= 10) {
      buf[pos++] = (byte) ('0' + exp / 10);
    }
    buf[pos++] = (byte) ('0' + exp % 10);
    return pos;
  }

  // The len <= 17 digits of f < 10^17 into buf[at, at + len), and garbage into the bytes up to
  // at + 24, without a branch on len: f is split into a leading digit and two groups of eight,
  // which make a 17-byte string with leading zeros in three words (W0 bytes 0-7, W1 8-15, W2 16);
  // the string is shifted down by its 17 - len leading zeros and stored in three longs.
  private static void digits(long f, int len, byte[] buf, int at) {
    long upper = f / 100_000_000L;
    int lo = (int) (f - upper * 100_000_000L);
    int lead = (int) (upper / 100_000_000L);
    int mid = (int) (upper - lead * 100_000_000L);
    long midDigits = eight(mid);
    long loDigits = eight(lo);
    long w0 = ('0' + lead) | (midDigits << 8);
    long w1 = (midDigits >>> 56) | (loDigits << 8);
    long w2 = loDigits >>> 56;
    int zeros = 17 - len;
    if (zeros >= 8) { // nine digits or fewer
      w0 = w1;
      w1 = w2;
      w2 = 0;
      zeros -= 8;
      if (zeros == 8) { // one digit
        w0 = w1;
        w1 = 0;
        zeros = 0;
      }
    }
    int s = zeros << 3;
    // x << 1 << (63 - s) is x << (64 - s), and 0 when s = 0 (where x << 64 would be x).
    LONG_LE.set(buf, at, (w0 >>> s) | (w1 << 1 << (63 - s)));
    LONG_LE.set(buf, at + 8, (w1 >>> s) | (w2 << 1 << (63 - s)));
    LONG_LE.set(buf, at + 16, w2 >>> s);
  }

  // Exactly eight digits of v < 10^8, leading zeros included, as the bytes of a little-endian
  // long (the first digit in the lowest byte): all eight are computed side by side in the lanes of
  // one long (SWAR). Lanes of 32 bits hold the halves v / 10^4 and
  // v % 10^4; multiplying by 10486 and shifting by 20 divides each lane by 100 (exact below
  // 10^4), and multiplying lanes of 16 bits by 103 and shifting by 10 divides them by 10 (exact
  // below 100); no lane's product reaches into the next. Tested against the pairwise writer on
  // every v below 10^8.
  static long eight(int v) {
    int hi = v / 10_000;
    long halves = hi | ((long) (v - hi * 10_000) << 32);
    long hundreds = ((halves * 10_486) >>> 20) & 0x0000_007F_0000_007FL;
    long pairs = hundreds | ((halves - 100 * hundreds) << 16);
    long tens = ((pairs * 103) >>> 10) & 0x000F_000F_000F_000FL;
    return (tens | ((pairs - 10 * tens) << 8)) + 0x3030_3030_3030_3030L;
  }

  // The number of decimal digits of f >= 0 (none for 0): log10 estimated from the bit length,
  // then corrected.
  static int digitCount(long f) {
    int t = ((64 - Long.numberOfLeadingZeros(f)) * 1233) >>> 12;
    return f < POW10[t] ? t : t + 1;
  }

  private static long[] powersOfTen() {
    long[] p = new long[19];
    p[0] = 1;
    for (int i = 1; i < p.length; i++) {
      p[i] = p[i - 1] * 10;
    }
    return p;
  }
}
