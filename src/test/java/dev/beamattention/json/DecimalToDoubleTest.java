package dev.beamattention.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every double the fast path returns is the one {@link Double#parseDouble} gives. */
class DecimalToDoubleTest {
  private static final long SEED = 7_2026L;

  @Test
  void randomMantissasAndExponentsRoundAsParseDouble() {
    Random random = new Random(SEED);
    int decided = 0;
    int cases = 400_000;
    for (int i = 0; i < cases; i++) {
      long m = random.nextLong() & Long.MAX_VALUE;
      int digits = 1 + random.nextInt(DecimalToDouble.MAX_DIGITS);
      m %= pow10(digits);
      int e = random.nextInt(DecimalToDouble.MAX_EXP10 - DecimalToDouble.MIN_EXP10 + 40) - 360;
      boolean negative = random.nextBoolean();
      decided += check(m, e, negative) ? 1 : 0;
    }
    // The fast path decides nearly all: a slow fallback for many would be a bug too.
    assertTrue(decided > cases * 0.8, decided + " of " + cases);
  }

  @Test
  void theShortestDigitsOfRandomDoublesReadBack() {
    Random random = new Random(SEED + 1);
    int decided = 0;
    int cases = 0;
    for (int i = 0; i < 200_000; i++) {
      double v = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(v)) {
        continue;
      }
      String text = ShortestDouble.toString(Math.abs(v));
      java.math.BigDecimal exact = new java.math.BigDecimal(text);
      long m = exact.unscaledValue().longValueExact();
      double d = DecimalToDouble.of(m, -exact.scale(), v < 0);
      cases++;
      if (!Double.isNaN(d)) {
        decided++;
        assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(d), text);
      }
    }
    // Subnormals and the ends of the range are left to the full parser; most must be decided.
    assertTrue(decided > cases * 0.9, decided + " of " + cases);
  }

  @Test
  void edgesRoundAsParseDouble() {
    long[] mantissas = {
      1,
      9,
      5,
      25,
      9007199254740993L,
      9007199254740992L,
      9007199254740991L,
      999_999_999_999_999_999L,
      179769313486231L,
      22250738585072014L,
      49406564584124654L,
      4503599627370497L
    };
    for (long m : mantissas) {
      for (int e = -345; e <= 310; e++) {
        check(m, e, false);
        check(m, e, true);
      }
    }
    assertEquals(0.0, DecimalToDouble.of(0, 5, false));
    assertEquals(
        Double.doubleToRawLongBits(-0.0),
        Double.doubleToRawLongBits(DecimalToDouble.of(0, 5, true)));
  }

  // True when the fast path decided, and then equal to parseDouble; NaN means undecided.
  private static boolean check(long m, int e, boolean negative) {
    double d = DecimalToDouble.of(m, e, negative);
    if (Double.isNaN(d)) {
      return false;
    }
    String text = (negative ? "-" : "") + m + "e" + e;
    assertEquals(
        Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(d), text);
    return true;
  }

  private static long pow10(int n) {
    long p = 1;
    for (int i = 0; i < n; i++) {
      p *= 10;
    }
    return p;
  }
}
