package dev.beamattention.core;

import java.util.Arrays;

/**
 * Rows of one width, handed out again and again: the products that stay inside one call of {@link
 * MultiHeadAttention#apply(double[][])} take their output rows from here instead of allocating them
 * for every sentence. Not thread-safe; one pool per thread.
 */
final class RowPool {
  private final int width;
  private double[][] rows = new double[0][];

  RowPool(int width) {
    this.width = width;
  }

  /**
   * {@code n} rows of this pool's width in a new outer array. The rows are the ones the previous
   * call handed out (their contents stale), so the caller must be done with those, and must
   * overwrite every value it reads.
   */
  double[][] take(int n) {
    if (n > rows.length) {
      double[][] grown = Arrays.copyOf(rows, n);
      for (int r = rows.length; r < n; r++) {
        grown[r] = new double[width];
      }
      rows = grown;
    }
    return Arrays.copyOf(rows, n);
  }
}
