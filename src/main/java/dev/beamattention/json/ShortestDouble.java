package dev.beamattention.json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Writes a double as the shortest decimal that parses back to it (the closest such, ties to an even
 * last digit), in Double.toString's layout ({@code 0.001}, {@code 1234567.0}, {@code 1.0E-4}),
 * straight into a byte buffer as ASCII.
 *
 * <p>Java 17's Double.toString is slow and not always shortest; Jackson's copy of Schubfach builds
 * a String per number. Two published algorithms find the decimal, both from the value's rounding
 * interval scaled by a precomputed power of ten (tables built here once with BigInteger):
 *
 * <ul>
 *   <li>Jeon's Dragonbox ("Dragonbox: a new floating-point binary-to-decimal conversion algorithm",
 *       2020) for normal values that are not powers of two, nearly all of them: one 64 x 128-bit
 *       product on the common path;
 *   <li>Giulietti's Schubfach ("The Schubfach way to render doubles", 2020) for powers of two,
 *       whose interval is narrower below than above, and subnormal values: three products.
 * </ul>
 *
 * <p>Both give the same decimal (a test compares them on every branch); {@link DecimalLayout}
 * writes its characters. The tests check outputs against exact BigDecimal arithmetic: each parses
 * back to the same double, no shorter decimal does, and none of its length is closer.
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
  // Dragonbox's powers of ten, for the normal values' k (-290 to 326).
  private static final int DB_K_MIN = -292;
  private static final int DB_K_MAX = 326;
  private static final long[] DB = dragonboxTable();

  /** The longest output: sign, 17 digits, point, zeros of a short exponent, "E-324". */
  public static final int MAX_CHARS = 26;

  /**
   * The room {@link #write} needs from its position: digits are stored eight bytes at a time, so it
   * may write past the end of its output; those bytes are left for whatever comes next.
   */
  public static final int ROOM = 32;

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
          return DecimalLayout.write(f, 0, buf, pos);
        }
      }
      return t != 0 ? dragonbox(-mq, c, buf, pos) : decimal(-mq, c, 0, buf, pos);
    }
    if (t != 0) {
      return t < C_TINY ? decimal(Q_MIN, 10 * t, -1, buf, pos) : decimal(Q_MIN, t, 0, buf, pos);
    }
    buf[pos++] = '0';
    buf[pos++] = '.';
    buf[pos++] = '0';
    return pos;
  }

  /**
   * As {@link #write(double, byte[], int)} for a finite, nonzero, non-integer {@code v}, but always
   * through the Schubfach step (which write uses only for powers of two and subnormal values): the
   * reference the tests hold the Dragonbox step to.
   */
  static int writeSchubfach(double v, byte[] buf, int pos) {
    long bits = Double.doubleToRawLongBits(v);
    long t = bits & ((1L << (P - 1)) - 1);
    int bq = (int) (bits >>> (P - 1)) & 0x7ff;
    buf[pos] = '-';
    pos += (int) (bits >>> 63);
    if (bq == 0) {
      return t < C_TINY ? decimal(Q_MIN, 10 * t, -1, buf, pos) : decimal(Q_MIN, t, 0, buf, pos);
    }
    return decimal(bq - 1075, C_MIN | t, 0, buf, pos);
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
        return DecimalLayout.write(upin ? sp10 : tp10, k, buf, pos);
      }
    }
    long t = s + 1;
    boolean uin = vbl + out <= s << 2;
    boolean win = (t << 2) + out <= vbr;
    if (uin != win) {
      return DecimalLayout.write(uin ? s : t, k + dk, buf, pos);
    }
    long cmp = vb - ((s + t) << 1);
    return DecimalLayout.write(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, buf, pos);
  }

  // Jeon's Dragonbox ("Dragonbox: a new floating-point binary-to-decimal conversion algorithm",
  // 2020) for a normal value c * 2^q whose rounding interval is symmetric (c is not a power of
  // two): the same decimal as Schubfach's above, found with one 64 x 128-bit product on the common
  // path instead of three. z is the interval's right end scaled by 10^-k (k two less than the
  // length of the longest candidate); the candidate with three digits fewer, z / 1000, is taken if
  // it lies in the interval, else the one with one digit more is read from the remainder, and the
  // centre's own product is only needed when that remainder is divisible by 100.
  private static int dragonbox(int q, long c, byte[] buf, int pos) {
    int k = flog10pow2(q) - 2; // the decimal exponent of z's last digit
    int index = (-k - DB_K_MIN) << 1;
    long hi = DB[index];
    long lo = DB[index + 1];
    int beta = q + flog2pow10(-k);
    int delta = (int) (hi >>> (63 - beta));
    long twoC = c << 1;
    long u = (twoC | 1) << beta;
    // The upper 128 bits of the 192-bit product u * (hi, lo): z and, below it, whether the product
    // is an integer (its fraction zero).
    long pHi = Math.multiplyHigh(u, hi) + u; // hi >= 2^63 as a signed value is hi - 2^64
    long pLo = u * hi;
    long loHigh = Math.multiplyHigh(u, lo) + ((lo >> 63) & u);
    long frac = pLo + loHigh;
    long z = pHi + (Long.compareUnsigned(frac, pLo) < 0 ? 1 : 0);
    long s = z / 1000;
    int r = (int) (z - 1000 * s);
    boolean evenC = (c & 1) == 0;
    if (r < delta) {
      if (r != 0 || frac != 0 || evenC) {
        return DecimalLayout.write(s, k + 3, buf, pos);
      }
      // z itself is the right end, which an odd c excludes.
      s--;
      r = 1000;
    } else if (r == delta) {
      // The left end sits on the candidate's grid: its fraction decides.
      long xHi = (twoC - 1) * hi + Math.multiplyHigh(twoC - 1, lo) + ((lo >> 63) & (twoC - 1));
      long xLo = (twoC - 1) * lo;
      boolean parity = ((xHi >>> (64 - beta)) & 1) != 0;
      boolean integer = ((xHi << beta) | (xLo >>> (64 - beta))) == 0;
      if (parity || integer && evenC) {
        return DecimalLayout.write(s, k + 3, buf, pos);
      }
    }
    // One digit more: the closest to the centre y of 10 s + dist / 100 (dist is 50 off the
    // centre's remainder, as z - y is delta / 2 up to a fraction).
    int dist = r - (delta >>> 1) + 50;
    boolean approxYParity = ((dist ^ 50) & 1) != 0;
    int scaled = dist * 656; // dist / 100 = scaled >>> 16 for dist <= 1000
    boolean divisible = (scaled & 0xffff) < 656;
    long f = 10 * s + (scaled >>> 16);
    if (divisible) {
      // The centre's exact position decides between the two nearest candidates (ties to even).
      long yHi = twoC * hi + Math.multiplyHigh(twoC, lo) + ((lo >> 63) & twoC);
      long yLo = twoC * lo;
      boolean yParity = ((yHi >>> (64 - beta)) & 1) != 0;
      boolean yInteger = ((yHi << beta) | (yLo >>> (64 - beta))) == 0;
      if (yParity != approxYParity || yInteger && (f & 1) != 0) {
        f--;
      }
    }
    return DecimalLayout.write(f, k + 2, buf, pos);
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

  static int flog10pow2(int q) {
    return (int) ((q * 661_971_961_083L) >> 41);
  }

  static int flog10threeQuartersPow2(int q) {
    return (int) ((q * 661_971_961_083L + -274_743_187_321L) >> 41);
  }

  static int flog2pow10(int e) {
    return (int) ((e * 913_124_641_741L) >> 38);
  }

  // For each k from DB_K_MIN to DB_K_MAX: ceil(10^k * 2^(127 - floor(log2(10^k)))), between 2^127
  // and 2^128, as unsigned 64-bit halves (high first).
  private static long[] dragonboxTable() {
    long[] t = new long[(DB_K_MAX - DB_K_MIN + 1) * 2];
    BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    for (int k = DB_K_MIN; k <= DB_K_MAX; k++) {
      int shift = 127 - flog2pow10(k);
      BigInteger num = k >= 0 ? BigInteger.TEN.pow(k) : BigInteger.ONE;
      BigInteger den = k >= 0 ? BigInteger.ONE : BigInteger.TEN.pow(-k);
      if (shift >= 0) {
        num = num.shiftLeft(shift);
      } else {
        den = den.shiftLeft(-shift);
      }
      BigInteger[] qr = num.divideAndRemainder(den);
      BigInteger value = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
      t[(k - DB_K_MIN) << 1] = value.shiftRight(64).longValue();
      t[((k - DB_K_MIN) << 1) + 1] = value.and(mask).longValue();
    }
    return t;
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
