package dev.beamattention.core;

import static dev.beamattention.core.Tolerances.ROW_SUM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SoftmaxTest {
  @Test
  void handChecked() {
    double[] row = {0.0, Math.log(3.0)};
    Softmax.inPlace(row, 2);
    assertArrayEquals(new double[] {0.25, 0.75}, row, 1e-15);
  }

  @Test
  void scoresFarApartGiveOneHotWithoutOverflow() {
    double[] row = {1e300, -1e300, 0.0, 1e300 - 1e285};
    Softmax.inPlace(row, 4);
    assertArrayEquals(new double[] {1.0, 0.0, 0.0, 0.0}, row, 0.0);

    double[] extremes = {Double.MAX_VALUE, -Double.MAX_VALUE};
    Softmax.inPlace(extremes, 2);
    assertArrayEquals(new double[] {1.0, 0.0}, extremes, 0.0);
  }

  @Test
  void equalScoresGiveEqualWeightsSummingToOne() {
    for (int n : new int[] {1, 3, 7, 1000}) {
      double[] row = new double[n];
      java.util.Arrays.fill(row, 123.456);
      Softmax.inPlace(row, n);
      double sum = 0;
      for (double v : row) {
        assertEquals(1.0 / n, v, 1e-15);
        sum += v;
      }
      assertEquals(1.0, sum, ROW_SUM, "n = " + n);
    }
  }

  @Test
  void masksTheTail() {
    double[] row = {2.0, 5.0, 7.0};
    Softmax.inPlace(row, 1);
    assertArrayEquals(new double[] {1.0, 0.0, 0.0}, row, 0.0);
  }

  @Test
  void tinyDifferencesStayNonNegativeAndSumToOne() {
    double[] row = new double[257];
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < row.length; i++) {
      row[i] = -700 + random.nextDouble() * 1400;
    }
    Softmax.inPlace(row, row.length);
    double sum = 0;
    for (double v : row) {
      assertTrue(v >= 0 && Double.isFinite(v));
      sum += v;
    }
    assertEquals(1.0, sum, ROW_SUM);
  }

  @Test
  void refusesNonFiniteScores() {
    assertThrows(NonFiniteException.class, () -> Softmax.inPlace(new double[] {1, Double.NaN}, 2));
    assertThrows(
        NonFiniteException.class,
        () -> Softmax.inPlace(new double[] {Double.POSITIVE_INFINITY, 1}, 2));
  }
}
