package dev.beamattention.core;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/** What {@link MultiHeadAttention} computes for one sentence of n tokens. */
public final class AttentionResult {
  private final double[][] output;
  private final double[][][] weights;

  AttentionResult(double[][] output, double[][][] weights) {
    this.output = output;
    this.weights = weights;
  }

  /** The contextual vectors, n x d_out. */
  public RealMatrix output() {
    return new Array2DRowRealMatrix(output, false);
  }

  /** A_i of one head, n x n: row r holds how token r attends to every token; rows sum to 1. */
  public RealMatrix weights(int head) {
    return new Array2DRowRealMatrix(weights[head], false);
  }

  public int heads() {
    return weights.length;
  }

  public int tokens() {
    return output.length;
  }

  /** The heads' weights averaged entry by entry, n x n. */
  public double[][] meanWeights() {
    int n = output.length;
    double[][] mean = new double[n][n];
    for (double[][] head : weights) {
      for (int r = 0; r < n; r++) {
        double[] src = head[r];
        double[] dst = mean[r];
        for (int c = 0; c < n; c++) {
          dst[c] += src[c];
        }
      }
    }
    double inv = 1.0 / weights.length;
    for (double[] row : mean) {
      for (int c = 0; c < n; c++) {
        row[c] *= inv;
      }
    }
    return mean;
  }

  /** The output rows themselves, not a copy: for callers that only read them. */
  public double[][] outputRows() {
    return output;
  }

  /** The weights themselves, h x n x n, not a copy: for callers that only read them. */
  public double[][][] weightRows() {
    return weights;
  }
}
