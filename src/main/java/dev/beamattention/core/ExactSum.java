package dev.beamattention.core;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The exact sum of finite doubles, rounded once to the nearest double (ties to even) when asked:
 * the same bits whatever the order of the additions and merges.
 *
 * <p>Every finite double is an integer multiple of 2^-1074. The sum is kept as such an integer in
 * 32-bit digits held in longs ("a superaccumulator"): digit k weighs 2^(32k - 1074). Adding a
 * double adds its 53-bit significand, shifted to its exponent, into three digits; digits are not
 * carried until 2^30 additions have piled up (each long then still holds less than 2^63), so an
 * addition is a few integer operations. Integer addition is associative, so the digits are the same
 * in any order; {@link #round()} turns them into the one double nearest the exact sum.
 *
 * <p>Only the digits between the smallest and the largest exponent added are stored: a sum of
 * numbers between 2^-60 and 1 holds about 5 digits; the widest possible, of 2^-1074 and 2^1023,
 * about 67. Instances are mutable and not thread-safe.
 */
public final class ExactSum {
  private static final long MASK32 = 0xFFFFFFFFL;
  // Additions between carries: each adds less than 2^32 to a digit, so 2^30 of them stay < 2^62.
  private static final int CARRY_EVERY = 1 << 30;

  private long[] digits = new long[0];
  private int low; // index of digits[0]
  private int pending; // additions since the last carry

  public ExactSum() {}

  /** A sum of these values. */
  public static ExactSum of(double... values) {
    ExactSum s = new ExactSum();
    for (double v : values) {
      s.add(v);
    }
    return s;
  }

  /**
   * A sum from its digits, as {@link #lowDigit()} and {@link #digits()} give them.
   *
   * @param low the index of {@code digits[0]}, at least 0
   */
  public static ExactSum ofDigits(int low, long[] digits) {
    if (low < 0) {
      throw new IllegalArgumentException("digit index below 0: " + low);
    }
    ExactSum s = new ExactSum();
    s.low = low;
    s.digits = digits.clone();
    s.pending = 1;
    s.carry();
    return s;
  }

  /**
   * Adds {@code x} exactly; 0 and -0.0 add nothing.
   *
   * @throws IllegalArgumentException when {@code x} is NaN or infinite
   */
  public void add(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int exponent = (int) ((bits >>> 52) & 0x7FF);
    long significand = bits & ((1L << 52) - 1);
    if (exponent == 0x7FF) {
      throw new IllegalArgumentException("cannot sum " + x);
    }
    int position; // x = significand * 2^(position - 1074)
    if (exponent == 0) {
      if (significand == 0) {
        return;
      }
      position = 0;
    } else {
      significand |= 1L << 52;
      position = exponent - 1;
    }
    int k = position >>> 5;
    int shift = position & 31;
    long p0 = (significand << shift) & MASK32;
    long p1 = (significand >>> (32 - shift)) & MASK32;
    long p2 = shift == 0 ? 0 : significand >>> (64 - shift);
    cover(k, k + 2);
    int i = k - low;
    if (bits < 0) {
      digits[i] -= p0;
      digits[i + 1] -= p1;
      digits[i + 2] -= p2;
    } else {
      digits[i] += p0;
      digits[i + 1] += p1;
      digits[i + 2] += p2;
    }
    if (++pending >= CARRY_EVERY) {
      carry();
    }
  }

  /** Adds another sum exactly; {@code other} is not changed in value. */
  public void add(ExactSum other) {
    if (other.digits.length == 0) {
      return;
    }
    carry();
    other.carry();
    cover(other.low, other.low + other.digits.length);
    for (int j = 0; j < other.digits.length; j++) {
      digits[other.low + j - low] += other.digits[j];
    }
    pending = 2;
    carry();
  }

  /** The double nearest the exact sum, ties to the even significand; 0.0 for an empty sum. */
  public double round() {
    BigInteger units = units();
    int sign = units.signum();
    if (sign == 0) {
      return 0.0;
    }
    BigInteger magnitude = units.abs();
    int length = magnitude.bitLength();
    double d;
    if (length <= 53) {
      // Below 2^-1021 every multiple of 2^-1074 is a double: exact.
      d = Math.scalb((double) magnitude.longValue(), -1074);
    } else {
      int drop = length - 53;
      long q = magnitude.shiftRight(drop).longValue();
      boolean half = magnitude.testBit(drop - 1);
      boolean sticky = magnitude.getLowestSetBit() < drop - 1;
      if (half && (sticky || (q & 1) == 1)) {
        q++;
      }
      // q <= 2^53 is exact as a double and the value is normal, so scalb only scales
      // (or overflows to infinity, as rounding to nearest does past Double.MAX_VALUE).
      d = Math.scalb((double) q, drop - 1074);
    }
    return sign < 0 ? -d : d;
  }

  /** The exact sum in units of 2^-1074. */
  public BigInteger units() {
    carry();
    BigInteger v = BigInteger.ZERO;
    for (int j = digits.length - 1; j >= 0; j--) {
      v = v.shiftLeft(32).add(BigInteger.valueOf(digits[j]));
    }
    return v.shiftLeft(32 * low);
  }

  /** The index of the lowest stored digit, after carrying: digit k weighs 2^(32k - 1074). */
  public int lowDigit() {
    carry();
    return low;
  }

  /**
   * The stored digits from {@link #lowDigit()} up, after carrying: each in [0, 2^32) but the last,
   * which carries the sign. A copy.
   */
  public long[] digits() {
    carry();
    return digits.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExactSum && units().equals(((ExactSum) o).units());
  }

  @Override
  public int hashCode() {
    return units().hashCode();
  }

  @Override
  public String toString() {
    return "ExactSum{" + round() + "}";
  }

  /** Makes digits[from - low .. to - low] exist, keeping the value. */
  private void cover(int from, int to) {
    if (digits.length == 0) {
      low = from;
      digits = new long[to - from + 2];
      return;
    }
    int high = low + digits.length - 1;
    if (from >= low && to <= high) {
      return;
    }
    int newLow = Math.min(low, from);
    int newHigh = Math.max(high, to) + 1; // room for a carry out of the top
    long[] grown = new long[newHigh - newLow + 1];
    System.arraycopy(digits, 0, grown, low - newLow, digits.length);
    digits = grown;
    low = newLow;
  }

  /**
   * Carries every digit but the top into [0, 2^32), the top keeping the sign and less than 2^32 in
   * magnitude, then drops zero digits at both ends.
   */
  private void carry() {
    if (pending == 0) {
      return;
    }
    for (int j = 0; j < digits.length - 1; j++) {
      long c = digits[j] >> 32;
      digits[j] -= c << 32;
      digits[j + 1] += c;
    }
    int t = digits.length - 1;
    while (t >= 0 && Math.abs(digits[t]) >= 1L << 32) {
      if (t + 1 >= digits.length) {
        cover(low + t, low + t + 1);
      }
      long c = digits[t] >> 32;
      digits[t] -= c << 32;
      digits[t + 1] += c;
      t++;
    }
    int n = digits.length;
    int top = n;
    while (top > 0 && digits[top - 1] == 0) {
      top--;
    }
    // A top digit -1 over d >= 2^31 is the same as d - 2^32 one digit lower.
    while (top > 1 && digits[top - 1] == -1 && digits[top - 2] >= 1L << 31) {
      digits[top - 2] -= 1L << 32;
      top--;
    }
    int bottom = 0;
    while (bottom < top && digits[bottom] == 0) {
      bottom++;
    }
    if (bottom > 0 || top < n) {
      digits = Arrays.copyOfRange(digits, bottom, top);
      low += bottom;
    }
    if (digits.length == 0) {
      low = 0;
    }
    pending = 0;
  }
}
