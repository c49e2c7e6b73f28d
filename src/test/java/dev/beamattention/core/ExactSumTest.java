package dev.beamattention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ExactSum against exact BigDecimal arithmetic, and the same bits in any order. */
class ExactSumTest {
  private static final long SEED = 20250917L;

  /** The naive reference: the exact sum in BigDecimal, rounded once (parsing rounds correctly). */
  private static double reference(List<Double> values) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double v : values) {
      sum = sum.add(new BigDecimal(v));
    }
    return Double.parseDouble(sum.toString());
  }

  private static List<Double> wide(Random random, int count) {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double mantissa = random.nextDouble() * (random.nextBoolean() ? 1 : -1);
      values.add(Math.scalb(mantissa, random.nextInt(2000) - 1000));
    }
    return values;
  }

  @Test
  void equalsTheCorrectlyRoundedExactSum() {
    Random random = new Random(SEED);
    for (int trial = 0; trial < 200; trial++) {
      List<Double> values = wide(random, 1 + random.nextInt(50));
      ExactSum s = new ExactSum();
      values.forEach(s::add);
      assertEquals(reference(values), s.round(), "trial " + trial);
    }
  }

  @Test
  void sameBitsInAnyOrderOfAdditionsAndMerges() {
    Random random = new Random(SEED + 1);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      values.add(random.nextDouble() * Math.pow(10, random.nextInt(12) - 6));
    }
    ExactSum inOrder = new ExactSum();
    values.forEach(inOrder::add);
    double naive = 0;
    for (double v : values) {
      naive += v;
    }
    for (int trial = 0; trial < 20; trial++) {
      Collections.shuffle(values, random);
      int parts = 1 + random.nextInt(7);
      List<ExactSum> partial = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        partial.add(new ExactSum());
      }
      for (double v : values) {
        partial.get(random.nextInt(parts)).add(v);
      }
      Collections.shuffle(partial, random);
      ExactSum merged = new ExactSum();
      partial.forEach(merged::add);
      assertEquals(
          Double.doubleToRawLongBits(inOrder.round()), Double.doubleToRawLongBits(merged.round()));
      assertEquals(inOrder, merged);
    }
    assertEquals(reference(values), inOrder.round());
    // The plain loop's sum is near, not necessarily the same bits: the reason for ExactSum.
    assertEquals(inOrder.round(), naive, Math.abs(naive) * 1e-12);
  }

  @Test
  void cancellationKeepsWhatFloatingPointLoses() {
    assertEquals(1.0, ExactSum.of(1e300, 1.0, -1e300).round());
    assertEquals(-0.5, ExactSum.of(Double.MAX_VALUE, -0.5, -Double.MAX_VALUE).round());
    assertEquals(0.0, ExactSum.of(0.1, -0.1).round());
    assertEquals(Double.MIN_VALUE, ExactSum.of(Double.MIN_VALUE, 1.0, -1.0).round());
    assertEquals(3 * Double.MIN_VALUE, ExactSum.of(Double.MIN_VALUE, 2 * Double.MIN_VALUE).round());
  }

  @Test
  void roundsHalfwayCasesToEven() {
    double ulp = Math.ulp(1.0);
    // 1 + ulp/2 is halfway between 1 and 1 + ulp: ties to the even significand, 1.
    assertEquals(1.0, ExactSum.of(1.0, ulp / 2).round());
    // (1 + ulp) + ulp/2 is halfway between 1 + ulp and 1 + 2 ulp: to 1 + 2 ulp.
    assertEquals(1.0 + 2 * ulp, ExactSum.of(1.0 + ulp, ulp / 2).round());
    // A little over halfway rounds up.
    assertEquals(1.0 + ulp, ExactSum.of(1.0, ulp / 2, ulp / 1024).round());
  }

  @Test
  void manyAdditionsCarryWithoutOverflow() {
    ExactSum s = new ExactSum();
    double v = Math.nextDown(1.0);
    int count = 3_000_000;
    for (int i = 0; i < count; i++) {
      s.add(v);
    }
    BigDecimal exact = new BigDecimal(v).multiply(BigDecimal.valueOf(count));
    assertEquals(Double.parseDouble(exact.toString()), s.round());
  }

  @Test
  void digitsRoundTrip() {
    Random random = new Random(SEED + 2);
    for (int trial = 0; trial < 50; trial++) {
      List<Double> values = wide(random, 1 + random.nextInt(20));
      ExactSum s = new ExactSum();
      values.forEach(s::add);
      ExactSum back = ExactSum.ofDigits(s.lowDigit(), s.digits());
      assertEquals(s, back);
      assertEquals(s.round(), back.round());
    }
    assertEquals(0.0, ExactSum.ofDigits(0, new long[0]).round());
  }

  @Test
  void refusesNonFiniteValues() {
    ExactSum s = new ExactSum();
    assertThrows(IllegalArgumentException.class, () -> s.add(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> s.add(Double.POSITIVE_INFINITY));
  }
}
