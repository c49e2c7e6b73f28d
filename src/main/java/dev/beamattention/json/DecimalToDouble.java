package dev.beamattention.json;

import java.math.BigInteger;

/**
 * The double nearest to {@code m * 10^e} (ties to even), for a decimal mantissa {@code m} of at
 * most 18 digits, by the Eisel-Lemire algorithm (Lemire, "Number Parsing at a Gigabyte per Second",
 * 2021): one or two 64 x 128-bit multiplications by a truncated power of ten, and a check that the
 * truncation cannot have changed the rounding.
 *
 * <p>When that check fails (rare: halfway cases and values next to them), or the result would be
 * subnormal, infinite or out of the table's range, {@link #of} returns NaN and the caller parses
 * the text with a full parser instead. So every double returned is the correctly rounded one, which
 * the tests check against {@link Double#parseDouble} on random and edge decimals.
 */
final class DecimalToDouble {
  static final int MIN_EXP10 = -342;
  static final int MAX_EXP10 = 308;

  /** Mantissas of up to this many digits fit a signed long, which the algorithm below assumes. */
  static final int MAX_DIGITS = 18;

  // For each power of ten, its 128 most significant bits, rounded down: high then low half.
  private static final long[] POW10 = table();

  private DecimalToDouble() {}

  /**
   * @param m the decimal digits as an integer, 0 <= m < 10^18
   * @param e the power of ten the digits are scaled by
   * @param negative the sign
   * @return the nearest double, or NaN when this fast path cannot decide it
   */
  static double of(long m, int e, boolean negative) {
    if (m == 0) {
      return negative ? -0.0 : 0.0;
    }
    if (e < MIN_EXP10 || e > MAX_EXP10) {
      return Double.NaN;
    }
    int clz = Long.numberOfLeadingZeros(m);
    long man = m << clz;
    // The binary exponent: floor(e * log2(10)) + 64 + bias - clz, by a 16-bit fixed-point log.
    long exp2 = ((217_706L * e) >> 16) + 64 + 1023 - clz;
    int index = (e - MIN_EXP10) << 1;
    long hi = POW10[index];
    long lo = POW10[index + 1];
    long xHi = unsignedMultiplyHigh(man, hi);
    long xLo = man * hi;
    // The low bits of the product may carry into the 54 kept: look at the next 64 bits too.
    if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0) {
      long yHi = unsignedMultiplyHigh(man, lo);
      long yLo = man * lo;
      long mergedHi = xHi;
      long mergedLo = xLo + yHi;
      if (Long.compareUnsigned(mergedLo, xLo) < 0) {
        mergedHi++;
      }
      if ((mergedHi & 0x1FF) == 0x1FF
          && mergedLo + 1 == 0
          && Long.compareUnsigned(yLo + man, man) < 0) {
        return Double.NaN;
      }
      xHi = mergedHi;
      xLo = mergedLo;
    }
    long msb = xHi >>> 63;
    long mantissa = xHi >>> (msb + 9);
    exp2 -= 1 ^ msb;
    // Exactly halfway between two doubles, as far as these bits tell: leave it.
    if (xLo == 0 && (xHi & 0x1FF) == 0 && (mantissa & 3) == 1) {
      return Double.NaN;
    }
    mantissa += mantissa & 1;
    mantissa >>>= 1;
    if (mantissa >>> 53 != 0) {
      mantissa >>>= 1;
      exp2++;
    }
    if (exp2 < 1 || exp2 > 0x7FE) {
      return Double.NaN; // subnormal or infinite
    }
    long bits = exp2 << 52 | (mantissa & 0x000F_FFFF_FFFF_FFFFL);
    return Double.longBitsToDouble(negative ? bits | Long.MIN_VALUE : bits);
  }

  // The high 64 bits of the unsigned 128-bit product (Java 17 has only the signed one).
  private static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  private static long[] table() {
    long[] t = new long[(MAX_EXP10 - MIN_EXP10 + 1) * 2];
    BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    for (int e = MIN_EXP10; e <= MAX_EXP10; e++) {
      BigInteger top;
      if (e >= 0) {
        BigInteger p = BigInteger.TEN.pow(e);
        int shift = p.bitLength() - 128;
        top = shift > 0 ? p.shiftRight(shift) : p.shiftLeft(-shift);
      } else {
        // 2^(b + 127) / 10^-e lies strictly between 2^127 and 2^128 (b the bit length of 10^-e).
        BigInteger d = BigInteger.TEN.pow(-e);
        top = BigInteger.ONE.shiftLeft(d.bitLength() + 127).divide(d);
      }
      int i = (e - MIN_EXP10) << 1;
      t[i] = top.shiftRight(64).longValue();
      t[i + 1] = top.and(mask).longValue();
    }
    return t;
  }
}
