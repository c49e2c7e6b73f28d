package dev.beamattention.core;

/**
 * A right-hand factor B prepared once for many products {@code A B}: a weight matrix, multiplied by
 * every sentence. Where the vector kernel runs on vectors of 256 bits or fewer, B is also copied
 * into {@link PanelGemm}'s panels; elsewhere the products read B's rows as {@link Gemm} does.
 *
 * <p>The rows are kept, not copied: they must not change after {@link #of}. Instances are immutable
 * and safe to share between threads.
 */
public final class PackedFactor {
  private final double[][] rows;
  private final int k;
  private final int n;
  // Empty when the panels are not used here.
  private final double[] panels;

  private PackedFactor(double[][] rows, double[] panels) {
    this.rows = rows;
    this.k = rows.length;
    this.n = rows[0].length;
    this.panels = panels;
  }

  /**
   * B prepared for {@link Gemm#multiply(double[][], PackedFactor, double[][], boolean)}.
   *
   * @param b k x n with k, n &gt;= 1, every row of length n; kept, not copied or modified
   * @throws AttentionShapeException when B is empty or ragged
   */
  public static PackedFactor of(double[][] b) {
    return of(b, Gemm.defaultKernelInUse() == Gemm.Kernel.VECTOR && PanelGemm.pays());
  }

  /** As {@link #of(double[][])}, with the panels or without them, for tests and benchmarks. */
  static PackedFactor of(double[][] b, boolean panels) {
    if (b.length == 0 || b[0].length == 0) {
      throw new AttentionShapeException("a factor needs at least one row and one column");
    }
    for (int kk = 0; kk < b.length; kk++) {
      if (b[kk].length != b[0].length) {
        throw new AttentionShapeException(
            "row " + kk + " of a factor has " + b[kk].length + " values, row 0 " + b[0].length);
      }
    }
    return new PackedFactor(b, panels ? PanelGemm.pack(b) : new double[0]);
  }

  /** k, the rows of B. */
  public int rows() {
    return k;
  }

  /** n, the columns of B. */
  public int columns() {
    return n;
  }

  /** B's rows, as given to {@link #of}. */
  double[][] rowsRef() {
    return rows;
  }

  boolean hasPanels() {
    return panels.length > 0;
  }

  double[] panelsRef() {
    return panels;
  }
}
