package dev.beamattention.core;

/**
 * Thrown when an input holds NaN or an infinity, or when finite inputs overflow during the
 * computation. Attention never returns NaN or infinite values: it throws this instead.
 */
public class NonFiniteException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  public NonFiniteException(String message) {
    super(message);
  }

  /**
   * Checks every value of a row-major matrix.
   *
   * @param name how the message calls the matrix, for example "embeddings"
   * @throws NonFiniteException naming the first NaN or infinite entry
   */
  static void requireFinite(String name, double[][] rows) {
    for (int r = 0; r < rows.length; r++) {
      double[] row = rows[r];
      for (int c = 0; c < row.length; c++) {
        if (!Double.isFinite(row[c])) {
          throw new NonFiniteException(name + "[" + r + "][" + c + "] is " + row[c]);
        }
      }
    }
  }

  /** As {@link #requireFinite(String, double[][])}, for a vector. */
  static void requireFinite(String name, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new NonFiniteException(name + "[" + i + "] is " + values[i]);
      }
    }
  }
}
