package dev.beamattention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Products with a prepared factor, with panels and without, against a plain Math.fma loop. */
class PackedFactorTest {
  /**
   * Rows around the blocks of six, columns around whole panels and vectors, sentence-like shapes,
   * larger then smaller calls on one thread (the packed A is reused scratch): every entry bit for
   * bit the sequential fma loop, starting from C when accumulating.
   */
  @ParameterizedTest(name = "panels = {0}, accumulate = {1}")
  @CsvSource({"true, false", "true, true", "false, false", "false, true"})
  void isASequentialFmaLoopBitForBit(boolean panels, boolean accumulate) {
    Random random = new Random(11);
    int[][] shapes = {
      {1, 1, 1},
      {40, 256, 256},
      {5, 3, 7},
      {6, 64, 8},
      {7, 64, 9},
      {11, 256, 31},
      {12, 17, 16},
      {13, 300, 33},
      {24, 64, 256},
      {2, 256, 256}
    };
    GemmTest.assertSequentialFma(
        random,
        shapes,
        accumulate,
        (a, b, c) -> {
          PackedFactor factor = PackedFactor.of(b, panels);
          assertEquals(panels, factor.hasPanels());
          Gemm.multiply(a, factor, c, accumulate);
        });
  }

  /**
   * Whatever the default preparation picks here (panels or rows), a product with it has the bits of
   * the product with B's rows, as MultiHeadAttention relies on.
   */
  @Test
  void theDefaultPreparationKeepsTheBitsOfAnUnpreparedProduct() {
    GemmTest.assertSequentialFma(
        new Random(5),
        new int[][] {{24, 256, 256}, {9, 64, 256}, {3, 30, 20}},
        true,
        (a, b, c) -> Gemm.multiply(a, PackedFactor.of(b), c, true));
  }

  @Test
  void getsPanelsWithTheVectorKernelUnlessSwitchedOff() {
    assumeTrue(Gemm.defaultKernelInUse() == Gemm.Kernel.VECTOR, "no vector kernel in this JVM");
    double[][] b = new double[8][20];
    assertTrue(PackedFactor.of(b).hasPanels());
    System.setProperty("beamattention.panels", "false");
    try {
      assertFalse(PackedFactor.of(b).hasPanels());
    } finally {
      System.clearProperty("beamattention.panels");
    }
  }

  @Test
  void refusesShapesThatDoNotFit() {
    PackedFactor b = PackedFactor.of(new double[4][5], true);
    AttentionShapeException e =
        assertThrows(
            AttentionShapeException.class,
            () -> Gemm.multiply(new double[2][3], b, new double[2][5], false));
    assertEquals("cannot multiply 2 x 3 by 4 x 5 into 2 x 5", e.getMessage());
  }

  @Test
  void refusesAnEmptyOrRaggedFactor() {
    assertEquals(
        "a factor needs at least one row and one column",
        assertThrows(AttentionShapeException.class, () -> PackedFactor.of(new double[0][]))
            .getMessage());
    assertEquals(
        "row 1 of a factor has 2 values, row 0 3",
        assertThrows(
                AttentionShapeException.class,
                () -> PackedFactor.of(new double[][] {{1, 2, 3}, {4, 5}}))
            .getMessage());
  }
}
