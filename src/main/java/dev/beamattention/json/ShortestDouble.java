package dev.beamattention.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a double as the shortest decimal that parses back to it (the closest such, ties to an even
 * last digit), in Double.toString's layout ({@code 0.001}, {@code 1234567.0}, {@code 1.0E-4}),
 * straight into a byte buffer as ASCII.
 *
 * <p>Java 17's Double.toString is slow and not always shortest; Jackson's copy of Schubfach builds
 * a String per number. This is Giulietti's Schubfach algorithm ("The Schubfach way to render
 * doubles", 2020): the value's rounding interval is scaled by a 126-bit approximation of a power of
 * ten, computed here once with BigInteger, and the shortest decimal in the interval is picked with
 * a few 64-bit multiplications. Its tests check every output against exact BigDecimal arithmetic:
 * it parses back to the same double, and no shorter decimal does.
 */
public final class ShortestDouble {
  private static final int K_MIN = -324;
  private static final int K_MAX = 292;
  private static final int Q_MIN = -1074;
  private static final int P = 53;
  private static final long C_MIN = 1L << (P - 1);
  private static final long C_TINY = 3;
  private static final long MASK_63 = (1L << 63) - 1;
  private static final long[] G = table();

  /** The longest output: sign, 17 digits, point, zeros of a short exponent, "E-324". */
  public static final int MAX_CHARS = 26;

  /**
   * The room {@link #write} needs from its position: digits are stored eight bytes at a time, so it
   * may write past the end of its output; those bytes are left for whatever comes next.
   */
  public static final int ROOM = 32;

  private static final long[] POW10 = powersOfTen();
  // "0.000000" as the bytes of a little-endian long.
  private static final long ZERO_POINT_ZEROS = 0x3030_3030_3030_2E30L;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private ShortestDouble() {}

  /**
   * Writes {@code v} into {@code buf} from {@code pos}, as ASCII; {@code buf} needs {@link #ROOM}
   * bytes of room, and the bytes after the returned position are overwritten with garbage.
   *
   * @return the position after the last byte written
   * @throws IllegalArgumentException for NaN and infinities, which JSON cannot hold
   */
  public static int write(double v, byte[] buf, int pos) {
    long bits = Double.doubleToRawLongBits(v);
    long t = bits & ((1L << (P - 1)) - 1);
    int bq = (int) (bits >>> (P - 1)) & 0x7ff;
    if (bq == 0x7ff) {
      throw new IllegalArgumentException("not a finite number: " + v);
    }
    // The sign without a branch: half the numbers of a matrix are negative, at random.
    buf[pos] = '-';
    pos += (int) (bits >>> 63);
    if (bq != 0) {
      int mq = -Q_MIN + 1 - bq;
      long c = C_MIN | t;
      if (0 < mq && mq < P) {
        long f = c >> mq;
        if (f << mq == c) {
          return chars(f, 0, buf, pos);
        }
      }
      return decimal(-mq, c, 0, buf, pos);
    }
    if (t != 0) {
      return t < C_TINY ? decimal(Q_MIN, 10 * t, -1, buf, pos) : decimal(Q_MIN, t, 0, buf, pos);
    }
    buf[pos++] = '0';
    buf[pos++] = '.';
    buf[pos++] = '0';
    return pos;
  }

  /** As {@link #write(double, byte[], int)}, into a new String. */
  public static String toString(double v) {
    byte[] buf = new byte[ROOM];
    return new String(buf, 0, write(v, buf, 0), StandardCharsets.ISO_8859_1);
  }

  // The value is c * 2^q; dk corrects the exponent when c was scaled up for tiny values.
  private static int decimal(int q, long c, int dk, byte[] buf, int pos) {
    int out = (int) c & 1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN || q == Q_MIN) {
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      // The interval below a power of two is half as wide.
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    }
    int h = q + flog2pow10(-k) + 2;
    long g1 = G[(k - K_MIN) << 1];
    long g0 = G[((k - K_MIN) << 1) + 1];
    long vb = rop(g1, g0, cb << h);
    long vbl = rop(g1, g0, cbl << h);
    long vbr = rop(g1, g0, cbr << h);
    long s = vb >> 2;
    if (s >= 100) {
      long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
      long tp10 = sp10 + 10;
      boolean upin = vbl + out <= sp10 << 2;
      boolean wpin = (tp10 << 2) + out <= vbr;
      if (upin != wpin) {
        return chars(upin ? sp10 : tp10, k, buf, pos);
      }
    }
    long t = s + 1;
    boolean uin = vbl + out <= s << 2;
    boolean win = (t << 2) + out <= vbr;
    if (uin != win) {
      return chars(uin ? s : t, k + dk, buf, pos);
    }
    long cmp = vb - ((s + t) << 1);
    return chars(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, buf, pos);
  }

  // floor(g * cp / 2^127), with the lowest bit set when the division was not exact.
  private static long rop(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | (((z & MASK_63) + MASK_63) >>> 63);
  }

  // The digits of f * 10^e, laid out as Double.toString lays them out. The layouts of values
  // between 10^-3 and 10^7, nearly all of a model's numbers, are written without loops: the
  // digits are stored whole, then the point and zeros around them.
  private static int chars(long f, int e, byte[] buf, int pos) {
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

  static int flog10pow2(int q) {
    return (int) ((q * 661_971_961_083L) >> 41);
  }

  static int flog10threeQuartersPow2(int q) {
    return (int) ((q * 661_971_961_083L + -274_743_187_321L) >> 41);
  }

  static int flog2pow10(int e) {
    return (int) ((e * 913_124_641_741L) >> 38);
  }

  // For each k: g = floor(10^-k / 2^r) + 1 with r chosen so that 2^125 <= g < 2^126, as 63-bit
  // halves.
  private static long[] table() {
    long[] g = new long[(K_MAX - K_MIN + 1) * 2];
    BigInteger mask = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
    for (int k = K_MIN; k <= K_MAX; k++) {
      int r = flog2pow10(-k) - 125;
      BigInteger num = k <= 0 ? BigInteger.TEN.pow(-k) : BigInteger.ONE;
      BigInteger den = k <= 0 ? BigInteger.ONE : BigInteger.TEN.pow(k);
      if (r < 0) {
        num = num.shiftLeft(-r);
      } else {
        den = den.shiftLeft(r);
      }
      BigInteger value = num.divide(den).add(BigInteger.ONE);
      g[(k - K_MIN) << 1] = value.shiftRight(63).longValueExact();
      g[((k - K_MIN) << 1) + 1] = value.and(mask).longValue();
    }
    return g;
  }
}
