package dev.beamattention.core;

import static dev.beamattention.core.Tolerances.REFERENCE;
import static dev.beamattention.core.Tolerances.assertMatrixEquals;
import static dev.beamattention.core.Tolerances.assertStochasticRows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** The kernel against the naive reference on seeded random shapes, and its invariants. */
class MultiHeadAttentionTest {
  private static final long SEED = 20261127L;

  @Test
  void agreesWithTheNaiveReferenceOnRandomShapes() {
    Random random = new Random(SEED);
    for (int trial = 0; trial < 60; trial++) {
      int heads = 1 + random.nextInt(4);
      int dK = 1 + random.nextInt(6);
      int dV = 1 + random.nextInt(6);
      // Some models wider than the kernel's 64-row k-blocks, some sentences not a multiple of 4.
      int dModel = trial % 10 == 0 ? 65 + random.nextInt(80) : 1 + random.nextInt(10);
      int n = 1 + random.nextInt(trial % 7 == 0 ? 70 : 12);
      boolean causal = random.nextBoolean();
      Scale scale = random.nextBoolean() ? Scale.auto() : Scale.of(0.1 + random.nextDouble());
      AttentionParameters w = randomWeights(random, dModel, heads, dK, dV, random.nextBoolean());
      double[][] x = matrix(random, n, dModel);
      String what = "trial " + trial + " (h=" + heads + ", d_model=" + dModel + ", n=" + n + ")";

      AttentionResult got = new MultiHeadAttention(w, scale, causal).apply(x);
      NaiveAttention want = new NaiveAttention(w, scale, causal, new Array2DRowRealMatrix(x));

      assertMatrixEquals(want.output.getData(), got.output(), REFERENCE, what + " output");
      for (int i = 0; i < heads; i++) {
        assertMatrixEquals(
            want.weights[i].getData(), got.weights(i), REFERENCE, what + " head " + i);
        assertStochasticRows(got.weights(i), what + " head " + i);
      }
    }
  }

  // The kernel runs Q, K and V as one product (W_q, W_k, W_v side by side) and w_o as one product
  // over all heads' columns. Gemm adds each entry's terms in k order, so that is bit for bit three
  // separate projections and each head's share of w_o accumulated in turn, the way it is computed
  // here step by step (shapes cross the kernels' 64-row blocks and 6-row tiles).
  @Test
  void productsOverAllHeadsGiveTheBitsOfOneProductPerPart() {
    Random random = new Random(SEED);
    for (int trial = 0; trial < 30; trial++) {
      int heads = 1 + random.nextInt(4);
      int dK = 1 + random.nextInt(8);
      int dV = trial % 3 == 0 ? 20 + random.nextInt(60) : 1 + random.nextInt(8);
      int dModel = 1 + random.nextInt(trial % 2 == 0 ? 100 : 10);
      int n = 1 + random.nextInt(30);
      AttentionParameters w = randomWeights(random, dModel, heads, dK, dV, true);
      double[][] x = matrix(random, n, dModel);
      AttentionResult got = new MultiHeadAttention(w, Scale.auto(), false).apply(x);
      String what = "trial " + trial + " (h=" + heads + ", d_k=" + dK + ", d_v=" + dV + ")";

      double[][] q = projection(x, w.wQRef(), w.bQRef());
      double[][] k = projection(x, w.wKRef(), w.bKRef());
      double[][] v = projection(x, w.wVRef(), w.bVRef());
      double[][] want = new double[n][w.dOut()];
      for (int i = 0; i < heads; i++) {
        double[][] qi = columns(q, i * dK, dK);
        double[][] kiT = new double[dK][n];
        for (int r = 0; r < n; r++) {
          for (int c = 0; c < dK; c++) {
            kiT[c][r] = k[r][i * dK + c];
          }
        }
        double[][] a = new double[n][n];
        Gemm.multiply(qi, kiT, a, false);
        for (double[] row : a) {
          for (int c = 0; c < n; c++) {
            row[c] *= Scale.auto().factorFor(dK);
          }
          Softmax.inPlace(row, n);
        }
        assertSameBits(a, got.weightRows()[i], what + " head " + i);
        double[][] head = new double[n][dV];
        Gemm.multiply(a, columns(v, i * dV, dV), head, false);
        double[][] wOi = java.util.Arrays.copyOfRange(w.wORef(), i * dV, (i + 1) * dV);
        Gemm.multiply(head, wOi, want, true);
      }
      for (double[] row : want) {
        for (int c = 0; c < row.length; c++) {
          row[c] += w.bORef()[c];
        }
      }
      assertSameBits(want, got.outputRows(), what + " output");
    }
  }

  // One instance reuses its scratch rows from call to call: sentences longer and shorter than the
  // last give the bits a fresh instance gives.
  @Test
  void reusedScratchRowsGiveTheBitsOfAFreshInstance() {
    Random random = new Random(SEED);
    AttentionParameters w = randomWeights(random, 12, 3, 4, 5, true);
    MultiHeadAttention reused = new MultiHeadAttention(w, Scale.auto(), false);
    for (int n : new int[] {5, 17, 1, 17, 9, 30, 2}) {
      double[][] x = matrix(random, n, 12);
      AttentionResult fresh = new MultiHeadAttention(w, Scale.auto(), false).apply(x);
      AttentionResult got = reused.apply(x);
      assertSameBits(fresh.outputRows(), got.outputRows(), "n=" + n + " output");
      for (int i = 0; i < 3; i++) {
        assertSameBits(fresh.weightRows()[i], got.weightRows()[i], "n=" + n + " head " + i);
      }
    }
  }

  private static double[][] projection(double[][] x, double[][] weights, double[] bias) {
    double[][] out = new double[x.length][weights[0].length];
    Gemm.multiply(x, PackedFactor.of(weights), out, false);
    for (double[] row : out) {
      for (int c = 0; c < row.length; c++) {
        row[c] += bias[c];
      }
    }
    return out;
  }

  private static double[][] columns(double[][] m, int from, int count) {
    double[][] out = new double[m.length][count];
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(m[r], from, out[r], 0, count);
    }
    return out;
  }

  private static void assertSameBits(double[][] want, double[][] got, String what) {
    for (int r = 0; r < want.length; r++) {
      for (int c = 0; c < want[r].length; c++) {
        assertEquals(
            Double.doubleToLongBits(want[r][c]),
            Double.doubleToLongBits(got[r][c]),
            what + " at " + r + "," + c);
      }
    }
  }

  @Test
  void uniformScoresGiveTheMeanOfV() {
    Random random = new Random(SEED);
    int dModel = 6;
    int n = 5;
    Map<String, Object> m = new HashMap<>();
    m.put("w_q", new double[dModel][dModel]); // zero queries: every score is 0
    m.put("w_k", matrix(random, dModel, dModel));
    m.put("w_v", matrix(random, dModel, dModel));
    AttentionParameters w = AttentionParameters.of(2, m);
    double[][] x = matrix(random, n, dModel);
    RealMatrix v = new Array2DRowRealMatrix(x).multiply(w.wV());

    AttentionResult result = new MultiHeadAttention(w, Scale.auto(), false).apply(x);

    for (int c = 0; c < dModel; c++) {
      double mean = 0;
      for (int r = 0; r < n; r++) {
        mean += v.getEntry(r, c) / n;
      }
      for (int r = 0; r < n; r++) {
        assertEquals(mean, result.output().getEntry(r, c), REFERENCE, "row " + r + " col " + c);
      }
    }
  }

  @Test
  void causalRowsIgnoreLaterTokens() {
    Random random = new Random(SEED);
    AttentionParameters w = randomWeights(random, 4, 2, 2, 2, false);
    double[][] x = matrix(random, 6, 4);
    AttentionResult result = new MultiHeadAttention(w, Scale.auto(), true).apply(x);
    for (int i = 0; i < 2; i++) {
      RealMatrix a = result.weights(i);
      assertEquals(1.0, a.getEntry(0, 0), 0.0, "the first token attends only to itself");
      for (int r = 0; r < 6; r++) {
        for (int c = r + 1; c < 6; c++) {
          assertEquals(0.0, a.getEntry(r, c), 0.0, "head " + i + " [" + r + "][" + c + "]");
        }
      }
    }
  }

  @Test
  void leavesItsInputUntouched() {
    Random random = new Random(SEED);
    AttentionParameters w = randomWeights(random, 5, 1, 5, 5, true);
    double[][] x = matrix(random, 7, 5);
    double[][] copy = new Array2DRowRealMatrix(x).getData();
    new MultiHeadAttention(w, Scale.auto(), false).apply(new Array2DRowRealMatrix(x, false));
    assertArrayEquals(copy, x);
  }

  @Test
  void refusesWrongWidthAndNonFiniteInputBeforeWork() {
    AttentionParameters w = randomWeights(new Random(SEED), 4, 1, 4, 4, false);
    MultiHeadAttention mha = new MultiHeadAttention(w, Scale.auto(), false);

    AttentionShapeException wide =
        assertThrows(AttentionShapeException.class, () -> mha.apply(new double[2][5]));
    assertEquals(
        "embeddings row 0 has 5 values but the weights need d_model = 4", wide.getMessage());
    assertThrows(AttentionShapeException.class, () -> mha.apply(new double[0][]));

    double[][] x = new double[2][4];
    x[1][2] = Double.NaN;
    NonFiniteException nan = assertThrows(NonFiniteException.class, () -> mha.apply(x));
    assertEquals("embeddings[1][2] is NaN", nan.getMessage());
  }

  @Test
  void overflowIsAnErrorNotNaN() {
    double[][] big = {{1e200}};
    AttentionParameters w = AttentionParameters.of(1, Map.of("w_q", big, "w_k", big, "w_v", big));
    MultiHeadAttention mha = new MultiHeadAttention(w, Scale.none(), false);
    NonFiniteException e =
        assertThrows(NonFiniteException.class, () -> mha.apply(new double[][] {{1e200}}));
    assertEquals(
        true, e.getMessage().startsWith("attention scores of head 0 overflow"), e.getMessage());
  }

  static AttentionParameters randomWeights(
      Random random, int dModel, int heads, int dK, int dV, boolean extras) {
    Map<String, Object> m = new HashMap<>();
    m.put("w_q", matrix(random, dModel, heads * dK));
    m.put("w_k", matrix(random, dModel, heads * dK));
    m.put("w_v", matrix(random, dModel, heads * dV));
    if (extras) {
      int dOut = 1 + random.nextInt(7);
      m.put("w_o", matrix(random, heads * dV, dOut));
      m.put("b_o", matrix(random, 1, dOut)[0]);
      m.put("b_q", matrix(random, 1, heads * dK)[0]);
      m.put("b_k", matrix(random, 1, heads * dK)[0]);
      m.put("b_v", matrix(random, 1, heads * dV)[0]);
    }
    return AttentionParameters.of(heads, m);
  }

  static double[][] matrix(Random random, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int c = 0; c < cols; c++) {
        row[c] = random.nextGaussian();
      }
    }
    return m;
  }
}
