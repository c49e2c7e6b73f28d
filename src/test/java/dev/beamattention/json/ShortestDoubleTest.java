package dev.beamattention.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast formatter against exact arithmetic: every output parses back to the same bits, no
 * decimal with fewer digits does, and among decimals of its length it is the closest.
 */
class ShortestDoubleTest {
  private static final double[] EDGES = {
    0.0,
    -0.0,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    2 * Double.MIN_VALUE,
    3 * Double.MIN_VALUE,
    Double.MIN_NORMAL,
    Math.nextDown(Double.MIN_NORMAL),
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    1e308,
    5e-324,
    1.0,
    -1.0,
    0.1,
    0.2,
    0.3,
    1.0 / 3,
    2.0 / 3,
    1e-3,
    9.999999999999999e-4,
    1e7,
    9999999.999999998,
    1e23,
    8.41e21,
    5.0e-324,
    1.7976931348623157e308,
    4.9e-324,
    2.2250738585072014e-308,
    123456789012345680.0,
    9007199254740993.0,
    9007199254740992.0,
    1e21,
    1e22,
    100.0,
    1e15,
    1e16,
    1.0E-5,
    0.001,
    1234567.0,
    12345678.0,
    2.0e-3,
    Math.PI,
    Math.E,
    4.35,
    0.5,
    1e-7,
    2.98023223876953125e-8
  };

  private static void check(double d) {
    String s = ShortestDouble.toString(d);
    double back = Double.parseDouble(s);
    assertEquals(
        Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(back), s + " is not " + d);
    if (d == 0) {
      return;
    }
    BigDecimal exact = new BigDecimal(d);
    int digits = significantDigits(s);
    // Printed, one digit is as long as two ("5.0E-324", "4.9E-324"): there the closer one wins.
    if (digits > 2) {
      // No decimal of one digit fewer lies in the rounding interval.
      MathContext shorter = new MathContext(digits - 1, RoundingMode.FLOOR);
      BigDecimal down = exact.round(shorter);
      BigDecimal up = exact.round(new MathContext(digits - 1, RoundingMode.CEILING));
      assertNotEquals(d, down.doubleValue(), s + ": " + down + " is shorter");
      assertNotEquals(d, up.doubleValue(), s + ": " + up + " is shorter");
    }
    // Closest of its length: the neighbours one unit away in the last digit are not closer.
    BigDecimal ours = new BigDecimal(s);
    BigDecimal unit = BigDecimal.ONE.movePointLeft(ours.stripTrailingZeros().scale());
    for (BigDecimal other : new BigDecimal[] {ours.add(unit), ours.subtract(unit)}) {
      if (other.doubleValue() == d) {
        assertTrue(
            other.subtract(exact).abs().compareTo(ours.subtract(exact).abs()) >= 0,
            s + " is farther from " + exact + " than " + other);
      }
    }
    // Never longer than Java 17's own Double.toString, which round-trips too.
    assertTrue(
        digits <= Math.max(2, significantDigits(Double.toString(d))),
        s + " vs " + Double.toString(d));
  }

  private static int significantDigits(String s) {
    return new BigDecimal(s).stripTrailingZeros().precision();
  }

  @Test
  void edgeValues() {
    for (double d : EDGES) {
      check(d);
      check(-d);
    }
    assertEquals("0.0", ShortestDouble.toString(0.0));
    assertEquals("-0.0", ShortestDouble.toString(-0.0));
    assertEquals("4.9E-324", ShortestDouble.toString(Double.MIN_VALUE));
    assertEquals("1.7976931348623157E308", ShortestDouble.toString(Double.MAX_VALUE));
    assertEquals("1.0E7", ShortestDouble.toString(1e7));
    assertEquals("1234567.0", ShortestDouble.toString(1234567.0));
    assertEquals("0.001", ShortestDouble.toString(0.001));
    assertEquals("1.0E-4", ShortestDouble.toString(1e-4));
    assertEquals("0.1", ShortestDouble.toString(0.1));
    assertEquals("100.0", ShortestDouble.toString(100.0));
    assertEquals("0.002", ShortestDouble.toString(2e-3));
    assertThrows(IllegalArgumentException.class, () -> ShortestDouble.toString(Double.NaN));
  }

  @Test
  void randomBitPatterns() {
    Random random = new Random(20261127);
    for (int i = 0; i < 60_000; i++) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (Double.isFinite(d)) {
        check(d);
      }
    }
  }

  @Test
  void valuesLikeEmbeddingsAndWeights() {
    Random random = new Random(7);
    for (int i = 0; i < 60_000; i++) {
      check(random.nextGaussian());
      check(random.nextDouble());
      check(Math.round(random.nextGaussian() * 1e4) / 1e4);
    }
  }

  @Test
  void subnormalsAndPowersOfTwo() {
    for (long c = 1; c < 5000; c++) {
      check(Double.longBitsToDouble(c));
    }
    for (int e = -1074; e <= 1023; e++) {
      check(Math.scalb(1.0, e));
      check(Math.nextUp(Math.scalb(1.0, e)));
      check(Math.nextDown(Math.scalb(1.0, e)));
    }
    for (int e = -323; e <= 308; e++) {
      check(Double.parseDouble("1e" + e));
    }
  }

  // Decimals of one to eight digits and their neighbours: short outputs, where the Dragonbox step
  // takes its rarer branches (the right end excluded, the left end on the candidate's grid, a
  // centre halfway between two candidates).
  @Test
  void shortDecimalsAndTheirNeighbours() {
    Random random = new Random(20261203);
    for (int i = 0; i < 20_000; i++) {
      double d =
          Double.parseDouble((1 + random.nextInt(99_999_999)) + "E" + (random.nextInt(631) - 330));
      check(d);
      check(Math.nextUp(d));
      check(Math.nextDown(d));
    }
  }

  // The Dragonbox step, which write takes for all normal values but powers of two, against the
  // Schubfach step kept for those: the same bytes, on values that reach every branch of both.
  @Test
  void dragonboxWritesWhatSchubfachWrites() {
    Random random = new Random(3);
    byte[] fast = new byte[ShortestDouble.ROOM];
    byte[] reference = new byte[ShortestDouble.ROOM];
    int compared = 0;
    for (int i = 0; i < 300_000; i++) {
      double shortDecimal =
          Double.parseDouble((1 + random.nextInt(99_999_999)) + "E" + (random.nextInt(631) - 330));
      double[] values = {
        Double.longBitsToDouble(random.nextLong()),
        random.nextDouble() * 4 - 2,
        random.nextGaussian() / 24,
        shortDecimal,
        Math.nextUp(shortDecimal),
        Math.nextDown(shortDecimal),
        (double) (random.nextLong() >>> (1 + random.nextInt(10)))
      };
      for (double d : values) {
        boolean smallInteger = Math.rint(d) == d && Math.abs(d) < 0x1p53;
        if (!Double.isFinite(d) || d == 0 || smallInteger) {
          continue; // write's own paths, which do not reach either step
        }
        int n = ShortestDouble.write(d, fast, 0);
        int m = ShortestDouble.writeSchubfach(d, reference, 0);
        if (n != m || !java.util.Arrays.equals(fast, 0, n, reference, 0, m)) {
          fail(
              "for "
                  + Double.doubleToRawLongBits(d)
                  + ": "
                  + new String(fast, 0, n, StandardCharsets.ISO_8859_1)
                  + " against "
                  + new String(reference, 0, m, StandardCharsets.ISO_8859_1));
        }
        compared++;
      }
    }
    assertTrue(compared > 1_800_000, "values compared: " + compared);
  }

  // The SWAR digits of eight against digit-by-digit arithmetic, for every value it takes.
  @Test
  void eightDigitsForEveryValueBelowAHundredMillion() {
    for (int v = 0; v < 100_000_000; v++) {
      long word = DecimalLayout.eight(v);
      int rest = v;
      for (int j = 7; j >= 0; j--) {
        if ((word >>> (8 * j) & 0xFF) != '0' + rest % 10) {
          fail("eight(" + v + ") gave " + Long.toHexString(word));
        }
        rest /= 10;
      }
    }
  }

  // Every length of digits and every layout, written into a buffer of garbage at every offset:
  // the output is the same and nothing before the position is touched.
  @Test
  void everyDigitCountAndLayoutAtEveryOffset() {
    Random random = new Random(20261201);
    for (int i = 0; i < 20_000; i++) {
      int digits = 1 + random.nextInt(17);
      long f =
          (long) (Math.pow(10, digits - 1) + random.nextDouble() * 9 * Math.pow(10, digits - 1));
      double d = Double.parseDouble(f + "E" + (random.nextInt(30) - 15 - digits));
      if (random.nextBoolean()) {
        d = -d;
      }
      String expected = ShortestDouble.toString(d);
      byte[] buf = new byte[8 + ShortestDouble.ROOM];
      int at = random.nextInt(8);
      random.nextBytes(buf);
      byte[] before = java.util.Arrays.copyOf(buf, at);
      int end = ShortestDouble.write(d, buf, at);
      assertEquals(expected, new String(buf, at, end - at, StandardCharsets.US_ASCII));
      assertArrayEquals(before, java.util.Arrays.copyOf(buf, at));
      assertEquals(layout(expected), expected);
      check(d);
    }
  }

  // Double.toString's layout of the digits and exponent of s, built from BigDecimal: plain from
  // 10^-3 up to 10^7 with at least one digit after the point, else d.dddE<exp>.
  private static String layout(String s) {
    BigDecimal value = new BigDecimal(s).stripTrailingZeros();
    String digits = value.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - value.scale();
    String sign = value.signum() < 0 ? "-" : "";
    if (exp >= 0 && exp < 7) {
      String whole = digits.length() > exp + 1 ? digits.substring(0, exp + 1) : digits;
      whole = whole + "0".repeat(exp + 1 - whole.length());
      String fraction = digits.length() > exp + 1 ? digits.substring(exp + 1) : "0";
      return sign + whole + "." + fraction;
    }
    if (exp < 0 && exp >= -3) {
      return sign + "0." + "0".repeat(-exp - 1) + digits;
    }
    String rest = digits.length() > 1 ? digits.substring(1) : "0";
    return sign + digits.charAt(0) + "." + rest + "E" + exp;
  }

  @Test
  void digitCountAroundEveryPowerOfTen() {
    assertEquals(0, DecimalLayout.digitCount(0));
    long p = 1;
    for (int k = 0; k <= 18; k++, p *= 10) {
      assertEquals(k + 1, DecimalLayout.digitCount(p), "10^" + k);
      assertEquals(k + 1, DecimalLayout.digitCount(p + 1), "10^" + k + " + 1");
      if (k > 0) {
        assertEquals(k, DecimalLayout.digitCount(p - 1), "10^" + k + " - 1");
      }
    }
    assertEquals(19, DecimalLayout.digitCount(Long.MAX_VALUE));
  }
}
