package dev.beamattention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Both kernels (with and without FMA) against a plain triple loop, across block edges. */
class GemmTest {
  @ParameterizedTest(name = "fma = {0}")
  @ValueSource(booleans = {true, false})
  void agreesWithATripleLoop(boolean fma) {
    Random random = new Random(99);
    int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {4, 64, 7}, {5, 65, 3}, {9, 129, 17}, {8, 130, 1}};
    for (int[] s : shapes) {
      double[][] a = MultiHeadAttentionTest.matrix(random, s[0], s[1]);
      double[][] b = MultiHeadAttentionTest.matrix(random, s[1], s[2]);
      double[][] c = MultiHeadAttentionTest.matrix(random, s[0], s[2]);
      double[][] start = new double[s[0]][];
      for (int i = 0; i < s[0]; i++) {
        start[i] = c[i].clone();
      }
      Gemm.multiply(a, b, c, true, fma);
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
   * The fused kernel adds the products in k order with one rounding each, on every path (blocks
   * of four rows, rows left over, an odd last k): bit for bit a plain loop of Math.fma.
   */
  @Test
  void fusedKernelIsASequentialFmaLoopBitForBit() {
    Random random = new Random(7);
    int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {5, 65, 3}, {9, 129, 17}, {7, 200, 24}};
    for (int[] s : shapes) {
      double[][] a = MultiHeadAttentionTest.matrix(random, s[0], s[1]);
      double[][] b = MultiHeadAttentionTest.matrix(random, s[1], s[2]);
      double[][] c = new double[s[0]][s[2]];
      Gemm.multiply(a, b, c, false, true);
      for (int i = 0; i < s[0]; i++) {
        for (int j = 0; j < s[2]; j++) {
          double want = 0.0;
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

  @Test
  void refusesShapesThatDoNotFit() {
    AttentionShapeException e =
        assertThrows(
            AttentionShapeException.class,
            () -> Gemm.multiply(new double[2][3], new double[4][5], new double[2][5], false));
    assertEquals("cannot multiply 2 x 3 by 4 x 5 into 2 x 5", e.getMessage());
  }
}
