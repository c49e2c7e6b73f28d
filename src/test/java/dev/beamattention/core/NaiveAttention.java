package dev.beamattention.core;

import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The README's formula written the plainest way, with Commons Math's own products: the reference
 * the optimised kernel is checked against.
 */
final class NaiveAttention {
  final RealMatrix output;
  final RealMatrix[] weights;

  NaiveAttention(AttentionParameters w, Scale scale, boolean causal, RealMatrix x) {
    int h = w.heads();
    int dK = w.dK();
    int dV = w.dV();
    int n = x.getRowDimension();
    double factor = scale.factorFor(dK);
    RealMatrix q = addBias(x.multiply(w.wQ()), (double[]) w.asMap().get("b_q"));
    RealMatrix k = addBias(x.multiply(w.wK()), (double[]) w.asMap().get("b_k"));
    RealMatrix v = addBias(x.multiply(w.wV()), (double[]) w.asMap().get("b_v"));
    RealMatrix concat = MatrixUtils.createRealMatrix(n, h * dV);
    weights = new RealMatrix[h];
    for (int i = 0; i < h; i++) {
      RealMatrix qi = q.getSubMatrix(0, n - 1, i * dK, (i + 1) * dK - 1);
      RealMatrix ki = k.getSubMatrix(0, n - 1, i * dK, (i + 1) * dK - 1);
      RealMatrix vi = v.getSubMatrix(0, n - 1, i * dV, (i + 1) * dV - 1);
      RealMatrix s = qi.multiply(ki.transpose()).scalarMultiply(factor);
      RealMatrix a = MatrixUtils.createRealMatrix(n, n);
      for (int r = 0; r < n; r++) {
        double max = Double.NEGATIVE_INFINITY;
        int last = causal ? r : n - 1;
        for (int c = 0; c <= last; c++) {
          max = Math.max(max, s.getEntry(r, c));
        }
        double sum = 0;
        for (int c = 0; c <= last; c++) {
          sum += Math.exp(s.getEntry(r, c) - max);
        }
        for (int c = 0; c <= last; c++) {
          a.setEntry(r, c, Math.exp(s.getEntry(r, c) - max) / sum);
        }
      }
      weights[i] = a;
      concat.setSubMatrix(a.multiply(vi).getData(), 0, i * dV);
    }
    RealMatrix out = concat;
    if (w.hasOutputProjection()) {
      out = addBias(concat.multiply(w.wO()), (double[]) w.asMap().get("b_o"));
    }
    output = out;
  }

  private static RealMatrix addBias(RealMatrix m, double[] bias) {
    if (bias == null) {
      return m;
    }
    RealMatrix out = m.copy();
    for (int r = 0; r < m.getRowDimension(); r++) {
      for (int c = 0; c < m.getColumnDimension(); c++) {
        out.addToEntry(r, c, bias[c]);
      }
    }
    return out;
  }
}
