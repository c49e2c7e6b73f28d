package dev.beamattention.core;

/**
 * Dense matrix products on row arrays ({@code double[rows][cols]}), the hot loop of attention.
 *
 * <p>Commons Math's {@code multiply} walks a column of B per output entry; here four rows of A
 * update four rows of C from one row of B at a time, so each loaded row of B serves four rows of C
 * and the innermost loop runs over one index only, which HotSpot turns into vector instructions.
 * The sum over k runs in blocks so that the rows of B in use stay in cache. Summation order
 * differs from a naive triple loop only by where the k-blocks split, so results agree with it to
 * a few ulps per term.
 */
public final class Gemm {
  // Rows of B per block: KB * n doubles should stay in L2 for n up to a few thousand.
  private static final int KB = 64;

  private Gemm() {}

  /**
   * {@code C = A B} (or {@code C += A B} when {@code accumulate}).
   *
   * <p>Shapes: A is m x k, B is k x n, C is m x n; only C is modified.
   *
   * @throws AttentionShapeException when the shapes do not fit, before any work
   */
  public static void multiply(double[][] a, double[][] b, double[][] c, boolean accumulate) {
    int m = a.length;
    int k = b.length;
    int n = k == 0 ? 0 : b[0].length;
    if (c.length != m || (m > 0 && (a[0].length != k || c[0].length != n))) {
      throw new AttentionShapeException(
          "cannot multiply " + m + " x " + (m > 0 ? a[0].length : 0) + " by " + k + " x " + n
              + " into " + c.length + " x " + (c.length > 0 ? c[0].length : 0));
    }
    if (!accumulate) {
      for (double[] row : c) {
        java.util.Arrays.fill(row, 0.0);
      }
    }
    for (int k0 = 0; k0 < k; k0 += KB) {
      int k1 = Math.min(k, k0 + KB);
      int i = 0;
      for (; i + 3 < m; i += 4) {
        rows4(a[i], a[i + 1], a[i + 2], a[i + 3], b, c[i], c[i + 1], c[i + 2], c[i + 3], k0, k1, n);
      }
      for (; i < m; i++) {
        row1(a[i], b, c[i], k0, k1, n);
      }
    }
  }

  /** Transposes an m x n matrix into a new n x m one. */
  public static double[][] transpose(double[][] a) {
    int m = a.length;
    int n = m == 0 ? 0 : a[0].length;
    double[][] t = new double[n][m];
    for (int i = 0; i < m; i++) {
      double[] row = a[i];
      for (int j = 0; j < n; j++) {
        t[j][i] = row[j];
      }
    }
    return t;
  }

  private static void rows4(
      double[] a0,
      double[] a1,
      double[] a2,
      double[] a3,
      double[][] b,
      double[] c0,
      double[] c1,
      double[] c2,
      double[] c3,
      int k0,
      int k1,
      int n) {
    for (int kk = k0; kk < k1; kk++) {
      double x0 = a0[kk];
      double x1 = a1[kk];
      double x2 = a2[kk];
      double x3 = a3[kk];
      double[] br = b[kk];
      for (int j = 0; j < n; j++) {
        double bv = br[j];
        c0[j] += x0 * bv;
        c1[j] += x1 * bv;
        c2[j] += x2 * bv;
        c3[j] += x3 * bv;
      }
    }
  }

  private static void row1(double[] a0, double[][] b, double[] c0, int k0, int k1, int n) {
    for (int kk = k0; kk < k1; kk++) {
      double x0 = a0[kk];
      double[] br = b[kk];
      for (int j = 0; j < n; j++) {
        c0[j] += x0 * br[j];
      }
    }
  }
}
