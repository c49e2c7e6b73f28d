package dev.beamattention.core;

/** Numerically stable softmax over a row, in place. */
public final class Softmax {
  private Softmax() {}

  /**
   * Replaces {@code row[0..length)} by {@code exp(row[j] - max) / sum}; entries from {@code length}
   * on are set to 0 (the causal mask). Subtracting the row's maximum keeps every exponent at most
   * 0, so no finite row overflows; the maximum's own term is 1, so the sum is at least 1 and never
   * underflows. The result is non-negative and sums to 1 within a few ulps.
   *
   * @param length how many leading entries take part, at least 1
   * @throws NonFiniteException when a participating entry is NaN or infinite
   */
  public static void inPlace(double[] row, int length) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < length; j++) {
      double s = row[j];
      if (!Double.isFinite(s)) {
        throw new NonFiniteException("score " + j + " is " + s);
      }
      if (s > max) {
        max = s;
      }
    }
    double sum = 0.0;
    for (int j = 0; j < length; j++) {
      // For scores ~1e308 apart the difference rounds to -Infinity; exp(-Infinity) is the exact 0.
      double e = Math.exp(row[j] - max);
      row[j] = e;
      sum += e;
    }
    double inv = 1.0 / sum;
    for (int j = 0; j < length; j++) {
      row[j] *= inv;
    }
    java.util.Arrays.fill(row, length, row.length, 0.0);
  }
}
