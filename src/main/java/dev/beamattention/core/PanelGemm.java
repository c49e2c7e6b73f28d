package dev.beamattention.core;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernel for a right-hand factor packed once ({@link PackedFactor}), with the left-hand
 * factor packed at each call: both are then read in the order the kernel uses them, from one array
 * each, with no row of arrays to follow and no bounds to check per step.
 *
 * <p>Layout. B (k x n) becomes panels of {@link #NR} = two vectors of columns: entry {@code B[kk][p
 * NR + l]} sits at {@code p k NR + kk NR + l}, and columns past n are zero. A (m x k) becomes
 * blocks of {@link #MR} = 6 rows: entry {@code A[q MR + r][kk]} sits at {@code q MR k + kk MR + r},
 * and rows past m are zero.
 *
 * <p>Tile. Six rows by two vectors of C stay in twelve registers over all of k: a step of k costs
 * two loads of B and six broadcasts of A for twelve fused multiply-adds, and with 256-bit vectors
 * the tile needs 15 of the 16 registers (the 4 x 4 tile of {@link VectorGemm} needs 21 there and
 * spills); with 512-bit vectors, 15 of 32, and each broadcast of A serves twice the columns. A
 * panel of B (k x NR) stays in L1 while every block of A passes it. A last block of one to four
 * rows takes a tile of two or four rows instead, so that rows past m cost nothing (a sentence of 25
 * tokens would otherwise pay for 30).
 *
 * <p>Each entry of C is its terms added in k order with one rounding each ({@code fma}), starting
 * from C's value when accumulating and from +0.0 otherwise: bit for bit the plain {@code Math.fma}
 * loop, as every kernel of {@link Gemm}. Padding is computed and never written to C.
 *
 * <p>Shapes are checked by {@link Gemm}; this class assumes they fit.
 */
final class PanelGemm {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Columns per panel of B: two vectors. */
  static final int NR = 2 * L;

  /** Rows per block of A. */
  static final int MR = 6;

  // The packed A and one tile of C, per thread: a call's A is 6 ceil(m / 6) k doubles, and
  // allocating it each time cost more than packing it.
  private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

  private PanelGemm() {}

  /**
   * Whether prepared factors get panels, rather than {@link VectorGemm}'s tiles on their rows. They
   * beat the tiles with 256-bit vectors (AVX2) and with 512-bit ones (AVX-512), so yes, unless
   * {@code -Dbeamattention.panels=false} asks for the tiles, to compare the two on a new machine.
   */
  static boolean pays() {
    return !"false".equals(System.getProperty("beamattention.panels"));
  }

  /**
   * B as panels (layout in the class comment).
   *
   * @param b k x n with k, n &gt;= 1; not modified
   * @return {@code ceil(n / NR) k NR} doubles
   */
  static double[] pack(double[][] b) {
    int k = b.length;
    int n = b[0].length;
    int panels = (n + NR - 1) / NR;
    double[] out = new double[panels * k * NR];
    for (int p = 0; p < panels; p++) {
      int j = p * NR;
      int w = Math.min(NR, n - j);
      int o = p * k * NR;
      for (int kk = 0; kk < k; kk++, o += NR) {
        System.arraycopy(b[kk], j, out, o, w);
      }
    }
    return out;
  }

  /**
   * {@code C = A B}, or {@code C += A B} when {@code accumulate}.
   *
   * @param a m x k; not modified
   * @param panels B packed by {@link #pack}; not modified
   * @param k rows of B
   * @param n columns of B
   * @param c m x n; the only array modified
   */
  static void multiply(
      double[][] a, double[] panels, int k, int n, double[][] c, boolean accumulate) {
    int m = a.length;
    if (m == 0 || n == 0) {
      return;
    }
    int blocks = (m + MR - 1) / MR;
    int tile = MR * NR;
    double[] scratch = scratch(blocks * MR * k + tile);
    int t = blocks * MR * k;
    packRows(a, k, scratch, blocks);
    for (int p = 0, j = 0; j < n; p++, j += NR) {
      int w = Math.min(NR, n - j);
      for (int q = 0; q < blocks; q++) {
        int i0 = q * MR;
        int h = Math.min(MR, m - i0);
        if (accumulate) {
          for (int r = 0; r < h; r++) {
            System.arraycopy(c[i0 + r], j, scratch, t + r * NR, w);
          }
        } else {
          Arrays.fill(scratch, t, t + tile, 0.0);
        }
        // The last block's rows past m would cost as much as real ones: a short block takes a
        // tile of four or two rows, which reads the same packed layout (rows stride MR apart).
        if (h > 4) {
          tile6x2(scratch, q * MR * k, panels, p * k * NR, k, t);
        } else if (h > 2) {
          tile4x2(scratch, q * MR * k, panels, p * k * NR, k, t);
        } else {
          tile2x2(scratch, q * MR * k, panels, p * k * NR, k, t);
        }
        for (int r = 0; r < h; r++) {
          System.arraycopy(scratch, t + r * NR, c[i0 + r], j, w);
        }
      }
    }
  }

  private static double[] scratch(int size) {
    double[] s = SCRATCH.get();
    if (s.length < size) {
      s = new double[size];
      SCRATCH.set(s);
    }
    return s;
  }

  // A into blocks of MR rows, k-major, rows past m zero.
  private static void packRows(double[][] a, int k, double[] out, int blocks) {
    int m = a.length;
    for (int q = 0; q < blocks; q++) {
      int base = q * MR * k;
      for (int r = 0; r < MR; r++) {
        int i = q * MR + r;
        if (i < m) {
          double[] row = a[i];
          for (int kk = 0, o = base + r; kk < k; kk++, o += MR) {
            out[o] = row[kk];
          }
        } else {
          for (int kk = 0, o = base + r; kk < k; kk++, o += MR) {
            out[o] = 0.0;
          }
        }
      }
    }
  }

  // The tile at s[t..t + MR NR), row r at t + r NR, continued over k steps of A (from s[ao]) and B
  // (from b[bo]).
  private static void tile6x2(double[] s, int ao, double[] b, int bo, int k, int t) {
    DoubleVector c00 = DoubleVector.fromArray(S, s, t);
    DoubleVector c01 = DoubleVector.fromArray(S, s, t + L);
    DoubleVector c10 = DoubleVector.fromArray(S, s, t + NR);
    DoubleVector c11 = DoubleVector.fromArray(S, s, t + NR + L);
    DoubleVector c20 = DoubleVector.fromArray(S, s, t + 2 * NR);
    DoubleVector c21 = DoubleVector.fromArray(S, s, t + 2 * NR + L);
    DoubleVector c30 = DoubleVector.fromArray(S, s, t + 3 * NR);
    DoubleVector c31 = DoubleVector.fromArray(S, s, t + 3 * NR + L);
    DoubleVector c40 = DoubleVector.fromArray(S, s, t + 4 * NR);
    DoubleVector c41 = DoubleVector.fromArray(S, s, t + 4 * NR + L);
    DoubleVector c50 = DoubleVector.fromArray(S, s, t + 5 * NR);
    DoubleVector c51 = DoubleVector.fromArray(S, s, t + 5 * NR + L);
    // Indexes computed from kk, the loop's only induction variable, so that C2 can check the
    // loads' bounds before the loop; with ai and bi stepped on their own it checked the loads of
    // B on every step (pipelines/README, eleventh session).
    for (int kk = 0; kk < k; kk++) {
      int ai = ao + kk * MR;
      int bi = bo + kk * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
      DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
      DoubleVector x = DoubleVector.broadcast(S, s[ai]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = DoubleVector.broadcast(S, s[ai + 1]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      x = DoubleVector.broadcast(S, s[ai + 2]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      x = DoubleVector.broadcast(S, s[ai + 3]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
      x = DoubleVector.broadcast(S, s[ai + 4]);
      c40 = b0.fma(x, c40);
      c41 = b1.fma(x, c41);
      x = DoubleVector.broadcast(S, s[ai + 5]);
      c50 = b0.fma(x, c50);
      c51 = b1.fma(x, c51);
    }
    c00.intoArray(s, t);
    c01.intoArray(s, t + L);
    c10.intoArray(s, t + NR);
    c11.intoArray(s, t + NR + L);
    c20.intoArray(s, t + 2 * NR);
    c21.intoArray(s, t + 2 * NR + L);
    c30.intoArray(s, t + 3 * NR);
    c31.intoArray(s, t + 3 * NR + L);
    c40.intoArray(s, t + 4 * NR);
    c41.intoArray(s, t + 4 * NR + L);
    c50.intoArray(s, t + 5 * NR);
    c51.intoArray(s, t + 5 * NR + L);
  }

  // As tile6x2 for the first four rows of a block.
  private static void tile4x2(double[] s, int ao, double[] b, int bo, int k, int t) {
    DoubleVector c00 = DoubleVector.fromArray(S, s, t);
    DoubleVector c01 = DoubleVector.fromArray(S, s, t + L);
    DoubleVector c10 = DoubleVector.fromArray(S, s, t + NR);
    DoubleVector c11 = DoubleVector.fromArray(S, s, t + NR + L);
    DoubleVector c20 = DoubleVector.fromArray(S, s, t + 2 * NR);
    DoubleVector c21 = DoubleVector.fromArray(S, s, t + 2 * NR + L);
    DoubleVector c30 = DoubleVector.fromArray(S, s, t + 3 * NR);
    DoubleVector c31 = DoubleVector.fromArray(S, s, t + 3 * NR + L);
    for (int kk = 0; kk < k; kk++) {
      int ai = ao + kk * MR;
      int bi = bo + kk * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
      DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
      DoubleVector x = DoubleVector.broadcast(S, s[ai]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = DoubleVector.broadcast(S, s[ai + 1]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
      x = DoubleVector.broadcast(S, s[ai + 2]);
      c20 = b0.fma(x, c20);
      c21 = b1.fma(x, c21);
      x = DoubleVector.broadcast(S, s[ai + 3]);
      c30 = b0.fma(x, c30);
      c31 = b1.fma(x, c31);
    }
    c00.intoArray(s, t);
    c01.intoArray(s, t + L);
    c10.intoArray(s, t + NR);
    c11.intoArray(s, t + NR + L);
    c20.intoArray(s, t + 2 * NR);
    c21.intoArray(s, t + 2 * NR + L);
    c30.intoArray(s, t + 3 * NR);
    c31.intoArray(s, t + 3 * NR + L);
  }

  // As tile6x2 for the first two rows of a block.
  private static void tile2x2(double[] s, int ao, double[] b, int bo, int k, int t) {
    DoubleVector c00 = DoubleVector.fromArray(S, s, t);
    DoubleVector c01 = DoubleVector.fromArray(S, s, t + L);
    DoubleVector c10 = DoubleVector.fromArray(S, s, t + NR);
    DoubleVector c11 = DoubleVector.fromArray(S, s, t + NR + L);
    for (int kk = 0; kk < k; kk++) {
      int ai = ao + kk * MR;
      int bi = bo + kk * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
      DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
      DoubleVector x = DoubleVector.broadcast(S, s[ai]);
      c00 = b0.fma(x, c00);
      c01 = b1.fma(x, c01);
      x = DoubleVector.broadcast(S, s[ai + 1]);
      c10 = b0.fma(x, c10);
      c11 = b1.fma(x, c11);
    }
    c00.intoArray(s, t);
    c01.intoArray(s, t + L);
    c10.intoArray(s, t + NR);
    c11.intoArray(s, t + NR + L);
  }
}
