package dev.beamattention.core;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel of {@link Gemm} on the JDK's vector API (the incubating module {@code
 * jdk.incubator.vector}), used only when the JVM was started with {@code --add-modules
 * jdk.incubator.vector} and compiles {@code Math.fma} to one instruction.
 *
 * <p>C is computed in register tiles of four rows by four vectors of columns: a tile's sums stay in
 * registers over a block of 64 rows of B, so a step of k costs four loads of B and four broadcasts
 * of A for sixteen vector fused multiply-adds. The auto-vectorised loop of {@link Gemm} loads and
 * stores C at every step instead, and is bound by those memory operations (the README's kernel
 * table has the measured speeds of both).
 *
 * <p>Each lane is one entry of C, and its terms are added in k order with one rounding each ({@code
 * fma}), starting from C's value when accumulating and from +0.0 otherwise (C is zeroed first): bit
 * for bit the plain {@code Math.fma} loop, and so the same results as {@link Gemm}'s other FMA
 * kernel. Rows and columns left over after whole tiles are padded with zeros to whole tiles, since
 * a padded tile is faster than a lone dependent chain of fma; the padding is never written to A, B
 * or C.
 *
 * <p>Shapes are checked by {@link Gemm#multiply}; this class assumes they fit.
 */
final class VectorGemm {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  // Rows of B per pass: a strip of KB x 4 vectors (16 KB with 512-bit vectors) fits in L1.
  private static final int KB = 64;

  private VectorGemm() {}

  /** {@code C = A B}, or {@code C += A B} when {@code accumulate}; A is m x k, B k x n. */
  static void multiply(double[][] a, double[][] b, double[][] c, boolean accumulate) {
    int m = a.length;
    int k = b.length;
    int n = c.length == 0 ? 0 : c[0].length;
    if (m == 0 || n == 0) {
      return; // Gemm refuses k = 0 with n > 0, so every entry has a term
    }
    // Rows past a multiple of four become whole tiles: zero rows of A write into scratch rows of
    // C. A lone row would run one dependent chain of fma per vector, several times slower.
    double[][] ap = a;
    double[][] cp = c;
    int mp = (m + 3) & ~3;
    if (mp != m) {
      ap = Arrays.copyOf(a, mp);
      cp = Arrays.copyOf(c, mp);
      for (int i = m; i < mp; i++) {
        ap[i] = new double[k];
        cp[i] = new double[n];
      }
    }
    if (!accumulate) {
      // Every tile then starts from C: one path into the loop. (With a choice between a load and
      // a zero vector, one profile showed C2 boxing vectors; an A/B run found no difference.)
      for (int i = 0; i < m; i++) {
        Arrays.fill(c[i], 0.0);
      }
    }
    int n1 = n - n % L;
    tiles(ap, b, cp, n1, k);
    if (n1 < n) {
      // Columns past the last whole vector: copied into one zero-padded vector's width.
      int t = n - n1;
      double[][] bt = rows(k, L);
      for (int kk = 0; kk < k; kk++) {
        System.arraycopy(b[kk], n1, bt[kk], 0, t);
      }
      double[][] ct = rows(mp, L);
      for (int i = 0; accumulate && i < m; i++) {
        System.arraycopy(c[i], n1, ct[i], 0, t);
      }
      tiles(ap, bt, ct, L, k);
      for (int i = 0; i < m; i++) {
        System.arraycopy(ct[i], 0, c[i], n1, t);
      }
    }
  }

  // new double[r][c] is a call into the VM in compiled code; row by row is allocated inline.
  private static double[][] rows(int r, int c) {
    double[][] m = new double[r][];
    for (int i = 0; i < r; i++) {
      m[i] = new double[c];
    }
    return m;
  }

  // Columns [0, n) of C, n a multiple of L; the rows of A and C a multiple of four.
  private static void tiles(double[][] a, double[][] b, double[][] c, int n, int k) {
    int m = a.length;
    int n4 = n - n % (4 * L);
    for (int k0 = 0; k0 < k; k0 += KB) {
      // Each block of k continues the sums in C: storing and reloading a double is exact.
      int k1 = Math.min(k, k0 + KB);
      // Columns outside, rows inside: a strip of B (KB x 4 vectors) stays in L1 for all rows.
      for (int j = 0; j < n4; j += 4 * L) {
        for (int i = 0; i < m; i += 4) {
          tile4x4(a, b, c, i, j, k0, k1);
        }
      }
      for (int j = n4; j < n; j += L) {
        for (int i = 0; i < m; i += 4) {
          tile4x1(a, b, c, i, j, k0, k1);
        }
      }
    }
  }

  // Rows i..i+3 of C, columns j..j+4L, over rows k0..k1 of B.
  private static void tile4x4(
      double[][] a, double[][] b, double[][] c, int i, int j, int k0, int k1) {
    double[] a0 = a[i];
    double[] a1 = a[i + 1];
    double[] a2 = a[i + 2];
    double[] a3 = a[i + 3];
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    double[] c2 = c[i + 2];
    double[] c3 = c[i + 3];
    int j1 = j + L;
    int j2 = j + 2 * L;
    int j3 = j + 3 * L;
    DoubleVector s00 = DoubleVector.fromArray(S, c0, j);
    DoubleVector s01 = DoubleVector.fromArray(S, c0, j1);
    DoubleVector s02 = DoubleVector.fromArray(S, c0, j2);
    DoubleVector s03 = DoubleVector.fromArray(S, c0, j3);
    DoubleVector s10 = DoubleVector.fromArray(S, c1, j);
    DoubleVector s11 = DoubleVector.fromArray(S, c1, j1);
    DoubleVector s12 = DoubleVector.fromArray(S, c1, j2);
    DoubleVector s13 = DoubleVector.fromArray(S, c1, j3);
    DoubleVector s20 = DoubleVector.fromArray(S, c2, j);
    DoubleVector s21 = DoubleVector.fromArray(S, c2, j1);
    DoubleVector s22 = DoubleVector.fromArray(S, c2, j2);
    DoubleVector s23 = DoubleVector.fromArray(S, c2, j3);
    DoubleVector s30 = DoubleVector.fromArray(S, c3, j);
    DoubleVector s31 = DoubleVector.fromArray(S, c3, j1);
    DoubleVector s32 = DoubleVector.fromArray(S, c3, j2);
    DoubleVector s33 = DoubleVector.fromArray(S, c3, j3);
    for (int kk = k0; kk < k1; kk++) {
      double[] br = b[kk];
      DoubleVector b0 = DoubleVector.fromArray(S, br, j);
      DoubleVector b1 = DoubleVector.fromArray(S, br, j1);
      DoubleVector b2 = DoubleVector.fromArray(S, br, j2);
      DoubleVector b3 = DoubleVector.fromArray(S, br, j3);
      DoubleVector x = DoubleVector.broadcast(S, a0[kk]);
      s00 = b0.fma(x, s00);
      s01 = b1.fma(x, s01);
      s02 = b2.fma(x, s02);
      s03 = b3.fma(x, s03);
      x = DoubleVector.broadcast(S, a1[kk]);
      s10 = b0.fma(x, s10);
      s11 = b1.fma(x, s11);
      s12 = b2.fma(x, s12);
      s13 = b3.fma(x, s13);
      x = DoubleVector.broadcast(S, a2[kk]);
      s20 = b0.fma(x, s20);
      s21 = b1.fma(x, s21);
      s22 = b2.fma(x, s22);
      s23 = b3.fma(x, s23);
      x = DoubleVector.broadcast(S, a3[kk]);
      s30 = b0.fma(x, s30);
      s31 = b1.fma(x, s31);
      s32 = b2.fma(x, s32);
      s33 = b3.fma(x, s33);
    }
    s00.intoArray(c0, j);
    s01.intoArray(c0, j1);
    s02.intoArray(c0, j2);
    s03.intoArray(c0, j3);
    s10.intoArray(c1, j);
    s11.intoArray(c1, j1);
    s12.intoArray(c1, j2);
    s13.intoArray(c1, j3);
    s20.intoArray(c2, j);
    s21.intoArray(c2, j1);
    s22.intoArray(c2, j2);
    s23.intoArray(c2, j3);
    s30.intoArray(c3, j);
    s31.intoArray(c3, j1);
    s32.intoArray(c3, j2);
    s33.intoArray(c3, j3);
  }

  // Rows i..i+3 of C, columns j..j+L, over rows k0..k1 of B.
  private static void tile4x1(
      double[][] a, double[][] b, double[][] c, int i, int j, int k0, int k1) {
    double[] a0 = a[i];
    double[] a1 = a[i + 1];
    double[] a2 = a[i + 2];
    double[] a3 = a[i + 3];
    double[] c0 = c[i];
    double[] c1 = c[i + 1];
    double[] c2 = c[i + 2];
    double[] c3 = c[i + 3];
    DoubleVector s0 = DoubleVector.fromArray(S, c0, j);
    DoubleVector s1 = DoubleVector.fromArray(S, c1, j);
    DoubleVector s2 = DoubleVector.fromArray(S, c2, j);
    DoubleVector s3 = DoubleVector.fromArray(S, c3, j);
    for (int kk = k0; kk < k1; kk++) {
      DoubleVector bv = DoubleVector.fromArray(S, b[kk], j);
      s0 = bv.fma(DoubleVector.broadcast(S, a0[kk]), s0);
      s1 = bv.fma(DoubleVector.broadcast(S, a1[kk]), s1);
      s2 = bv.fma(DoubleVector.broadcast(S, a2[kk]), s2);
      s3 = bv.fma(DoubleVector.broadcast(S, a3[kk]), s3);
    }
    s0.intoArray(c0, j);
    s1.intoArray(c1, j);
    s2.intoArray(c2, j);
    s3.intoArray(c3, j);
  }
}
