package dev.beamattention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.linear.RealMatrix;

/** Named tolerances and the matrix comparisons that use them. */
public final class Tolerances {
  /** The tutorial printed 8 decimals: its numbers are good to half a unit in the 8th place. */
  public static final double PRINTED = 1e-7;

  /** Against NumPy / PyTorch float64 on the same inputs: only summation order differs. */
  public static final double GOLDEN = 1e-10;

  /** Against the naive reference on random inputs of order 1. */
  public static final double REFERENCE = 1e-12;

  /** How far from 1 a softmax row's sum may be. */
  public static final double ROW_SUM = 1e-12;

  private Tolerances() {}

  public static void assertMatrixEquals(
      double[][] expected, RealMatrix actual, double tol, String what) {
    assertEquals(expected.length, actual.getRowDimension(), what + ": rows");
    for (int r = 0; r < expected.length; r++) {
      assertEquals(expected[r].length, actual.getColumnDimension(), what + ": columns");
      for (int c = 0; c < expected[r].length; c++) {
        double e = expected[r][c];
        double a = actual.getEntry(r, c);
        assertTrue(
            Math.abs(e - a) <= tol,
            what
                + "["
                + r
                + "]["
                + c
                + "]: expected "
                + e
                + " but got "
                + a
                + " (tolerance "
                + tol
                + ")");
      }
    }
  }

  /** Every row non-negative and summing to 1. */
  public static void assertStochasticRows(RealMatrix a, String what) {
    for (int r = 0; r < a.getRowDimension(); r++) {
      double sum = 0;
      for (double v : a.getRow(r)) {
        assertTrue(v >= 0, what + " row " + r + " has a negative weight " + v);
        sum += v;
      }
      assertEquals(1.0, sum, ROW_SUM, what + " row " + r + " sum");
    }
  }
}
