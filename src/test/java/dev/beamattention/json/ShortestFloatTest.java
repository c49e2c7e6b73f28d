package dev.beamattention.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float formatter against a brute-force search: for each float, the decimals of 1, 2, ... 9
 * significant digits either side of its exact value are tried with {@code Float.parseFloat}; the
 * formatter must write the closest of the shortest that parse back (at least two digits, as the
 * layout prints two anyway: {@code 1.4E-45}).
 */
class ShortestFloatTest {
  private static final float[] EDGES = {
    0.0f,
    Float.MIN_VALUE,
    2 * Float.MIN_VALUE,
    7 * Float.MIN_VALUE,
    Float.MIN_NORMAL,
    Math.nextDown(Float.MIN_NORMAL),
    Float.MAX_VALUE,
    Math.nextDown(Float.MAX_VALUE),
    1.0f,
    0.1f,
    0.2f,
    0.3f,
    1.0f / 3,
    2.0f / 3,
    1e-3f,
    Math.nextDown(1e-3f),
    1e7f,
    Math.nextDown(1e7f),
    16777216f,
    16777215f,
    3.4e38f,
    1e10f,
    (float) Math.PI,
    (float) Math.E,
    0.5f,
    1e-7f,
    4.35f,
    1.17549435E-38f
  };

  // The decimal a shortest formatter must write for v != 0, by trying lengths in turn.
  private static BigDecimal bruteForce(float v) {
    BigDecimal exact = new BigDecimal(v);
    for (int digits = 2; digits <= 9; digits++) {
      BigDecimal best = null;
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal candidate = exact.round(new MathContext(digits, mode));
        if (Float.parseFloat(candidate.toString()) != v) {
          continue;
        }
        if (best == null) {
          best = candidate;
          continue;
        }
        int closer = candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs());
        boolean evenTie =
            closer == 0
                && candidate.unscaledValue().testBit(0) == false
                && candidate.compareTo(best) != 0;
        if (closer < 0 || evenTie) {
          best = candidate;
        }
      }
      if (best != null) {
        return best;
      }
    }
    throw new AssertionError("no decimal of 9 digits parses back to " + v);
  }

  private static void check(float v) {
    String s = ShortestFloat.toString(v);
    float back = Float.parseFloat(s);
    assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(back), s + " is not " + v);
    if (v == 0) {
      return;
    }
    BigDecimal expected = bruteForce(Math.abs(v));
    assertEquals(
        0, new BigDecimal(s).abs().compareTo(expected), s + " for " + v + ", not " + expected);
    // The same layout as Float.toString: the point, or the exponent, where it puts them.
    String jdk = Float.toString(v);
    assertEquals(jdk.contains("E"), s.contains("E"), s + " vs " + jdk);
    assertTrue(digits(s) <= Math.max(2, digits(jdk)), s + " longer than " + jdk);
  }

  private static int digits(String s) {
    return new BigDecimal(s).stripTrailingZeros().precision();
  }

  @Test
  void edgeValues() {
    for (float v : EDGES) {
      check(v);
      check(-v);
    }
    assertEquals("0.0", ShortestFloat.toString(0.0f));
    assertEquals("-0.0", ShortestFloat.toString(-0.0f));
    assertEquals("1.4E-45", ShortestFloat.toString(Float.MIN_VALUE));
    assertEquals("3.4028235E38", ShortestFloat.toString(Float.MAX_VALUE));
    assertEquals("1.0E7", ShortestFloat.toString(1e7f));
    assertEquals("1234567.0", ShortestFloat.toString(1234567f));
    assertEquals("0.001", ShortestFloat.toString(0.001f));
    assertEquals("1.0E-4", ShortestFloat.toString(1e-4f));
    assertEquals("0.1", ShortestFloat.toString(0.1f));
    assertEquals("-2.5", ShortestFloat.toString(-2.5f));
    assertEquals("0.33333334", ShortestFloat.toString(1.0f / 3));
    assertThrows(IllegalArgumentException.class, () -> ShortestFloat.toString(Float.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> ShortestFloat.toString(Float.NEGATIVE_INFINITY));
  }

  @Test
  void shorterThanJava17WhereItIsNot() {
    // Java 17's Float.toString writes these with a digit more than they need.
    assertEquals("2.24E-44", Float.toString(Float.intBitsToFloat(16)));
    assertEquals("2.2E-44", ShortestFloat.toString(Float.intBitsToFloat(16)));
    assertEquals("1.794E-43", Float.toString(Float.intBitsToFloat(128)));
    assertEquals("1.8E-43", ShortestFloat.toString(Float.intBitsToFloat(128)));
    assertEquals("9.18355E-41", Float.toString(Float.intBitsToFloat(65536)));
    assertEquals("9.1835E-41", ShortestFloat.toString(Float.intBitsToFloat(65536)));
  }

  @Test
  void randomBitPatterns() {
    Random random = new Random(20261128);
    for (int i = 0; i < 100_000; i++) {
      float v = Float.intBitsToFloat(random.nextInt());
      if (Float.isFinite(v)) {
        check(v);
      }
    }
  }

  @Test
  void valuesLikeOutputs() {
    Random random = new Random(11);
    for (int i = 0; i < 50_000; i++) {
      check((float) random.nextGaussian());
      check(random.nextFloat());
    }
  }

  @Test
  void subnormalsPowersOfTwoAndTen() {
    for (int c = 1; c < 5000; c++) {
      check(Float.intBitsToFloat(c));
    }
    for (int e = -149; e <= 127; e++) {
      check(Math.scalb(1.0f, e));
      check(Math.nextUp(Math.scalb(1.0f, e)));
      check(Math.nextDown(Math.scalb(1.0f, e)));
    }
    for (int e = -45; e <= 38; e++) {
      check(Float.parseFloat("1e" + e));
      check(Math.nextUp(Float.parseFloat("1e" + e)));
    }
  }
}
