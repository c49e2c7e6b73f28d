package dev.beamattention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Every kernel against a plain triple loop, across block and tile edges. */
class GemmTest {
  @ParameterizedTest(name = "{0}")
  @EnumSource(Gemm.Kernel.class)
  void agreesWithATripleLoop(Gemm.Kernel kernel) {
    Random random = new Random(99);
    int[][] shapes = {
      {1, 1, 1},
      {3, 5, 2},
      {4, 64, 7},
      {5, 65, 3},
      {9, 129, 17},
      {8, 130, 1},
      {6, 33, 41},
      {4, 7, 64}
    };
    for (int[] s : shapes) {
      double[][] a = MultiHeadAttentionTest.matrix(random, s[0], s[1]);
      double[][] b = MultiHeadAttentionTest.matrix(random, s[1], s[2]);
      double[][] c = MultiHeadAttentionTest.matrix(random, s[0], s[2]);
      double[][] start = new double[s[0]][];
      for (int i = 0; i < s[0]; i++) {
        start[i] = c[i].clone();
      }
      Gemm.multiply(a, b, c, true, kernel);
      for (int i = 0; i < s[0]; i++) {
        for (int j = 0; j < s[2]; j++) {
          double want = start[i][j];
          for (int k = 0; k < s[1]; k++) {
            want += a[i][k] * b[k][j];
          }
          assertEquals(want, c[i][j], 1e-12 * s[1], "shape " + java.util.Arrays.toString(s));
        }
      }
    }
  }

  /**
   * The fused kernels add the products in k order with one rounding each, on every path (blocks of
   * four rows, rows left over, an odd last k, register tiles, the panels' tiles of six, four and
   * two rows, single vectors, columns left over, accumulating or not): bit for bit a plain loop of
   * Math.fma.
   */
  @ParameterizedTest(name = "{0}, accumulate = {1}")
  @CsvSource({
    "FMA, false",
    "FMA, true",
    "VECTOR, false",
    "VECTOR, true",
    "PANELS, false",
    "PANELS, true"
  })
  void fusedKernelsAreASequentialFmaLoopBitForBit(Gemm.Kernel kernel, boolean accumulate) {
    Random random = new Random(7);
    int[][] shapes = {
      {1, 1, 1},
      {3, 5, 2},
      {5, 65, 3},
      {9, 129, 17},
      {7, 200, 24},
      {8, 256, 256},
      {6, 64, 37},
      {24, 24, 64},
      {5, 3, 100},
      {7, 130, 70},
      {13, 64, 17},
      {12, 256, 16},
      {10, 70, 19},
      {4, 256, 24},
      {26, 33, 9}
    };
    assertSequentialFma(
        random, shapes, accumulate, (a, b, c) -> Gemm.multiply(a, b, c, accumulate, kernel));
  }

  /** A product under test: {@code C = A B}, or {@code C += A B} when accumulating. */
  interface Product {
    void multiply(double[][] a, double[][] b, double[][] c);
  }

  /**
   * Runs {@code product} on random operands of each shape {m, k, n} (C random when accumulating,
   * else zero) and asserts that A and B are unchanged and every entry of C is, bit for bit, the
   * plain loop of Math.fma over k from C's start.
   */
  static void assertSequentialFma(
      Random random, int[][] shapes, boolean accumulate, Product product) {
    for (int[] s : shapes) {
      double[][] a = MultiHeadAttentionTest.matrix(random, s[0], s[1]);
      double[][] b = MultiHeadAttentionTest.matrix(random, s[1], s[2]);
      double[][] c =
          accumulate ? MultiHeadAttentionTest.matrix(random, s[0], s[2]) : new double[s[0]][s[2]];
      double[][] start = copy(c);
      double[][] aBefore = copy(a);
      double[][] bBefore = copy(b);
      product.multiply(a, b, c);
      assertArrayEquals(aBefore, a, "A is not modified");
      assertArrayEquals(bBefore, b, "B is not modified");
      for (int i = 0; i < s[0]; i++) {
        for (int j = 0; j < s[2]; j++) {
          double want = start[i][j];
          for (int k = 0; k < s[1]; k++) {
            want = Math.fma(a[i][k], b[k][j], want);
          }
          assertEquals(
              Double.doubleToLongBits(want),
              Double.doubleToLongBits(c[i][j]),
              "shape " + java.util.Arrays.toString(s) + " at " + i + ", " + j);
        }
      }
    }
  }

  /** The build runs tests with the vector API, as the launch scripts run the job. */
  @Test
  void vectorKernelIsTheDefaultWhereFmaAndTheVectorApiAre() {
    boolean fma = Gemm.defaultKernelInUse() != Gemm.Kernel.PLAIN;
    assertEquals(fma ? Gemm.Kernel.VECTOR : Gemm.Kernel.PLAIN, Gemm.defaultKernelInUse());
  }

  private static double[][] copy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }

  @Test
  void refusesShapesThatDoNotFit() {
    AttentionShapeException e =
        assertThrows(
            AttentionShapeException.class,
            () -> Gemm.multiply(new double[2][3], new double[4][5], new double[2][5], false));
    assertEquals("cannot multiply 2 x 3 by 4 x 5 into 2 x 5", e.getMessage());
  }
}
