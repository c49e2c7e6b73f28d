package dev.beamattention.json;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Writes a float as the shortest decimal that parses back to it with {@code Float.parseFloat} (the
 * closest such, ties to an even last digit), in Float.toString's layout ({@code 0.001}, {@code
 * 1234567.0}, {@code 1.0E-4}), straight into a byte buffer as ASCII: the writer of {@code
 * --outputPrecision=float32}.
 *
 * <p>Java 17's Float.toString is not always shortest: it writes the float nearest 2.2E-44 as {@code
 * 2.24E-44}, for example. This is the float half of Giulietti's Schubfach algorithm, as {@link
 * ShortestDouble} is the double half: the rounding interval of {@code c * 2^q} is scaled by a
 * 63-bit approximation of a power of ten (computed here once with BigInteger) and the shortest
 * decimal in it is picked with one 64-bit multiplication per bound. Its tests check outputs against
 * a brute-force search of the shortest decimal.
 */
public final class ShortestFloat {
  private static final int P = 24;
  private static final int Q_MIN = -149;
  private static final int K_MIN = -45; // flog10pow2(Q_MIN)
  private static final int K_MAX = 31; // flog10pow2(Q_MAX), Q_MAX = 104
  private static final int C_MIN = 1 << (P - 1);
  private static final int C_TINY = 8;
  private static final long MASK_32 = (1L << 32) - 1;
  private static final long[] G = table();

  /** The longest output: sign, 9 digits, point, "E-45". */
  public static final int MAX_CHARS = 16;

  private ShortestFloat() {}

  /**
   * Writes {@code v} into {@code buf} from {@code pos}, as ASCII; {@code buf} needs {@link
   * #MAX_CHARS} bytes of room.
   *
   * @return the position after the last byte written
   * @throws IllegalArgumentException for NaN and infinities, which JSON cannot hold
   */
  public static int write(float v, byte[] buf, int pos) {
    int bits = Float.floatToRawIntBits(v);
    int t = bits & (C_MIN - 1);
    int bq = (bits >>> (P - 1)) & 0xff;
    if (bq == 0xff) {
      throw new IllegalArgumentException("not a finite number: " + v);
    }
    if (bits < 0) {
      buf[pos++] = '-';
    }
    if (bq != 0) {
      int mq = -Q_MIN + 1 - bq;
      int c = C_MIN | t;
      // Whole numbers below 2^24 are their own shortest decimal.
      if (0 < mq && mq < P) {
        int f = c >> mq;
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

  /** As {@link #write(float, byte[], int)}, into a new String. */
  public static String toString(float v) {
    byte[] buf = new byte[MAX_CHARS];
    return new String(buf, 0, write(v, buf, 0), StandardCharsets.ISO_8859_1);
  }

  // The value is c * 2^q; dk corrects the exponent when c was scaled up for tiny values.
  private static int decimal(int q, int c, int dk, byte[] buf, int pos) {
    int out = c & 1;
    long cb = (long) c << 2;
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
    int h = q + flog2pow10(-k) + 33;
    long g = G[k - K_MIN];
    int vb = rop(g, cb << h);
    int vbl = rop(g, cbl << h);
    int vbr = rop(g, cbr << h);
    int s = vb >> 2;
    if (s >= 100) {
      int sp10 = 10 * (int) ((s * 1_717_986_919L) >>> 34); // 10 * (s / 10)
      int tp10 = sp10 + 10;
      boolean upin = vbl + out <= sp10 << 2;
      boolean wpin = (tp10 << 2) + out <= vbr;
      if (upin != wpin) {
        return chars(upin ? sp10 : tp10, k, buf, pos);
      }
    }
    int t = s + 1;
    boolean uin = vbl + out <= s << 2;
    boolean win = (t << 2) + out <= vbr;
    if (uin != win) {
      return chars(uin ? s : t, k + dk, buf, pos);
    }
    int cmp = vb - ((s + t) << 1);
    return chars(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, buf, pos);
  }

  // floor(g * cp / 2^95), with the lowest bit set when the division was not exact.
  private static int rop(long g, long cp) {
    long x1 = Math.multiplyHigh(g, cp);
    long vbp = x1 >>> 31;
    return (int) (vbp | (((x1 & MASK_32) + MASK_32) >>> 32));
  }

  // The digits of f * 10^e, laid out as Float.toString lays them out.
  private static int chars(int f, int e, byte[] buf, int pos) {
    while (f % 10 == 0) {
      f /= 10;
      e++;
    }
    byte[] d = new byte[10];
    int len = 0;
    for (int x = f; x > 0; x /= 10) {
      d[len++] = (byte) ('0' + x % 10);
    }
    int exp = e + len - 1; // of the leading digit
    if (exp >= 0 && exp < 7) {
      for (int i = 0; i <= exp; i++) {
        buf[pos++] = i < len ? d[len - 1 - i] : (byte) '0';
      }
      buf[pos++] = '.';
      if (len <= exp + 1) {
        buf[pos++] = '0';
      }
      for (int i = exp + 1; i < len; i++) {
        buf[pos++] = d[len - 1 - i];
      }
      return pos;
    }
    if (exp < 0 && exp >= -3) {
      buf[pos++] = '0';
      buf[pos++] = '.';
      for (int i = -1; i > exp; i--) {
        buf[pos++] = '0';
      }
      for (int i = len - 1; i >= 0; i--) {
        buf[pos++] = d[i];
      }
      return pos;
    }
    buf[pos++] = d[len - 1];
    buf[pos++] = '.';
    if (len == 1) {
      buf[pos++] = '0';
    }
    for (int i = len - 2; i >= 0; i--) {
      buf[pos++] = d[i];
    }
    buf[pos++] = 'E';
    if (exp < 0) {
      buf[pos++] = '-';
      exp = -exp;
    }
    if (exp >= 10) {
      buf[pos++] = (byte) ('0' + exp / 10);
    }
    buf[pos++] = (byte) ('0' + exp % 10);
    return pos;
  }

  // floor(q * log10(2)), floor(q * log10(2) + log10(3/4)) and floor(e * log2(10)), exact over the
  // exponents used here (the same fixed-point forms as ShortestDouble's).
  private static int flog10pow2(int q) {
    return (int) ((q * 661_971_961_083L) >> 41);
  }

  private static int flog10threeQuartersPow2(int q) {
    return (int) ((q * 661_971_961_083L + -274_743_187_321L) >> 41);
  }

  private static int flog2pow10(int e) {
    return (int) ((e * 913_124_641_741L) >> 38);
  }

  // For each k: the upper 63 bits of ShortestDouble's 126-bit g = floor(10^-k / 2^r) + 1, plus
  // one, as Schubfach's float half takes it.
  private static long[] table() {
    long[] g = new long[K_MAX - K_MIN + 1];
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
      g[k - K_MIN] = value.shiftRight(63).longValueExact() + 1;
    }
    return g;
  }
}
