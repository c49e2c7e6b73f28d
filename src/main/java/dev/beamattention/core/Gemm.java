package dev.beamattention.core;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dense matrix products on row arrays ({@code double[rows][cols]}), the hot loop of attention.
 *
 * <p>When the JVM has the vector API ({@code --add-modules jdk.incubator.vector}, as the launch
 * scripts start it), products run in {@link VectorGemm}'s register tiles; the loops below are the
 * kernel everywhere else, and give the same bits.
 *
 * <p>Commons Math's {@code multiply} walks a column of B per output entry. Here four rows of A
 * update four rows of C from two rows of B at a time: each loaded row of B serves four rows of C,
 * each load and store of C carries two fused multiply-adds, and the innermost loop runs over one
 * index only, which HotSpot turns into vector instructions. Rows and k left over after the blocks
 * go through the same fused multiply-adds. The sum over k runs in blocks so the rows of B in use
 * stay in cache. On a CPU without FMA, {@code Math.fma} would fall back to slow exact arithmetic,
 * so the kernel then uses a multiply and an add instead.
 *
 * <p>Every entry is its terms added in k order, starting from C's own value when accumulating: with
 * FMA one rounding per term, so bit for bit a plain loop of {@code Math.fma}; without, a multiply
 * and an add per term, as a naive triple loop rounds.
 */
public final class Gemm {
  // Rows of B per block: KB * n doubles should stay in L2 for n up to a few thousand.
  private static final int KB = 64;
  private static final Logger LOG = LoggerFactory.getLogger(Gemm.class);
  private static final boolean FMA = hasFma();
  private static final Kernel DEFAULT = defaultKernel();

  /** The loops that compute a product; all give the same bits except {@link #PLAIN}. */
  enum Kernel {
    /** {@link VectorGemm}: register tiles on the vector API. */
    VECTOR,
    /**
     * {@link PanelGemm}: B and A packed for the vector API's tiles (B packed at each call here).
     */
    PANELS,
    /** The auto-vectorised loop with {@code Math.fma}. */
    FMA,
    /** Multiply and add, for CPUs without FMA. */
    PLAIN
  }

  private Gemm() {}

  /**
   * {@code C = A B} (or {@code C += A B} when {@code accumulate}).
   *
   * <p>Shapes: A is m x k, B is k x n, C is m x n; only C is modified.
   *
   * @throws AttentionShapeException when the shapes do not fit, before any work
   */
  public static void multiply(double[][] a, double[][] b, double[][] c, boolean accumulate) {
    multiply(a, b, c, accumulate, DEFAULT);
  }

  /** The kernel {@link #multiply(double[][], double[][], double[][], boolean)} uses here. */
  static Kernel defaultKernelInUse() {
    return DEFAULT;
  }

  /** As {@link #multiply(double[][], double[][], double[][], boolean)}, choosing the kernel. */
  static void multiply(
      double[][] a, double[][] b, double[][] c, boolean accumulate, Kernel kernel) {
    int m = a.length;
    int k = b.length;
    int n = k == 0 ? 0 : b[0].length;
    checkShapes(a, k, n, c);
    if (kernel == Kernel.VECTOR) {
      VectorGemm.multiply(a, b, c, accumulate);
      return;
    }
    if (kernel == Kernel.PANELS) {
      if (m > 0 && n > 0) {
        PanelGemm.multiply(a, PanelGemm.pack(b), k, n, c, accumulate);
      }
      return;
    }
    boolean fma = kernel == Kernel.FMA;
    if (!accumulate) {
      for (double[] row : c) {
        Arrays.fill(row, 0.0);
      }
    }
    for (int k0 = 0; k0 < k; k0 += KB) {
      int k1 = Math.min(k, k0 + KB);
      int i = 0;
      for (; i + 3 < m; i += 4) {
        if (fma) {
          rows4Fma(
              a[i], a[i + 1], a[i + 2], a[i + 3], b, c[i], c[i + 1], c[i + 2], c[i + 3], k0, k1, n);
        } else {
          rows4(
              a[i], a[i + 1], a[i + 2], a[i + 3], b, c[i], c[i + 1], c[i + 2], c[i + 3], k0, k1, n);
        }
      }
      for (; i < m; i++) {
        if (fma) {
          row1Fma(a[i], b, c[i], k0, k1, n);
        } else {
          row1(a[i], b, c[i], k0, k1, n);
        }
      }
    }
  }

  /**
   * {@code C = A B} (or {@code C += A B} when {@code accumulate}) for a B prepared once: the same
   * bits as {@link #multiply(double[][], double[][], double[][], boolean)} on B's rows.
   *
   * <p>Shapes: A is m x k, B is k x n, C is m x n; only C is modified.
   *
   * @throws AttentionShapeException when the shapes do not fit, before any work
   */
  public static void multiply(double[][] a, PackedFactor b, double[][] c, boolean accumulate) {
    if (!b.hasPanels()) {
      multiply(a, b.rowsRef(), c, accumulate, DEFAULT);
      return;
    }
    checkShapes(a, b.rows(), b.columns(), c);
    PanelGemm.multiply(a, b.panelsRef(), b.rows(), b.columns(), c, accumulate);
  }

  private static void checkShapes(double[][] a, int k, int n, double[][] c) {
    int m = a.length;
    if (c.length != m || (m > 0 && (a[0].length != k || c[0].length != n))) {
      throw new AttentionShapeException(
          "cannot multiply "
              + m
              + " x "
              + (m > 0 ? a[0].length : 0)
              + " by "
              + k
              + " x "
              + n
              + " into "
              + c.length
              + " x "
              + (c.length > 0 ? c[0].length : 0));
    }
  }

  private static void rows4Fma(
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
    int kk = k0;
    for (; kk + 1 < k1; kk += 2) {
      double[] br = b[kk];
      double[] bs = b[kk + 1];
      double x0 = a0[kk];
      double x1 = a1[kk];
      double x2 = a2[kk];
      double x3 = a3[kk];
      double y0 = a0[kk + 1];
      double y1 = a1[kk + 1];
      double y2 = a2[kk + 1];
      double y3 = a3[kk + 1];
      for (int j = 0; j < n; j++) {
        double u = br[j];
        double v = bs[j];
        c0[j] = Math.fma(y0, v, Math.fma(x0, u, c0[j]));
        c1[j] = Math.fma(y1, v, Math.fma(x1, u, c1[j]));
        c2[j] = Math.fma(y2, v, Math.fma(x2, u, c2[j]));
        c3[j] = Math.fma(y3, v, Math.fma(x3, u, c3[j]));
      }
    }
    if (kk < k1) {
      double[] br = b[kk];
      double x0 = a0[kk];
      double x1 = a1[kk];
      double x2 = a2[kk];
      double x3 = a3[kk];
      for (int j = 0; j < n; j++) {
        double u = br[j];
        c0[j] = Math.fma(x0, u, c0[j]);
        c1[j] = Math.fma(x1, u, c1[j]);
        c2[j] = Math.fma(x2, u, c2[j]);
        c3[j] = Math.fma(x3, u, c3[j]);
      }
    }
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

  // The rows left over after the blocks of four: two rows of B per pass, fused as above.
  private static void row1Fma(double[] a0, double[][] b, double[] c0, int k0, int k1, int n) {
    int kk = k0;
    for (; kk + 1 < k1; kk += 2) {
      double[] br = b[kk];
      double[] bs = b[kk + 1];
      double x0 = a0[kk];
      double y0 = a0[kk + 1];
      for (int j = 0; j < n; j++) {
        c0[j] = Math.fma(y0, bs[j], Math.fma(x0, br[j], c0[j]));
      }
    }
    if (kk < k1) {
      double x0 = a0[kk];
      double[] br = b[kk];
      for (int j = 0; j < n; j++) {
        c0[j] = Math.fma(x0, br[j], c0[j]);
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

  /**
   * The vector kernel when FMA is one instruction and the JVM resolved {@code jdk.incubator.vector}
   * ({@code --add-modules jdk.incubator.vector}); otherwise the loops here. {@code
   * -Dbeamattention.gemm=FMA} (or {@code PLAIN}) picks a kernel by name, for benchmarks.
   */
  private static Kernel defaultKernel() {
    String forced = System.getProperty("beamattention.gemm");
    boolean vectorApi = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (forced != null) {
      Kernel kernel = Kernel.valueOf(forced);
      if ((kernel == Kernel.VECTOR || kernel == Kernel.PANELS) && !vectorApi) {
        throw new IllegalStateException(
            "-Dbeamattention.gemm=" + kernel + " needs --add-modules jdk.incubator.vector");
      }
      return kernel;
    }
    if (!FMA) {
      LOG.info("matrix products: plain loops (this CPU or JVM has no fused multiply-add)");
      return Kernel.PLAIN;
    }
    if (!vectorApi) {
      // Same results either way; a user who starts java -jar without the launch scripts' flags
      // should learn why it is slower than the README's numbers.
      LOG.info(
          "matrix products: plain loops with fma; start the JVM with"
              + " --add-modules=jdk.incubator.vector for the faster vector kernel (same results)");
      return Kernel.FMA;
    }
    LOG.info("matrix products: vector kernel (jdk.incubator.vector)");
    return Kernel.VECTOR;
  }

  /** Whether HotSpot compiles Math.fma to one instruction (-XX:+UseFMA, on by CPU support). */
  private static boolean hasFma() {
    try {
      return Boolean.parseBoolean(
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
              .getVMOption("UseFMA")
              .getValue());
    } catch (RuntimeException | LinkageError e) {
      return false; // not HotSpot, or no such flag: the plain kernel is safe everywhere
    }
  }
}
