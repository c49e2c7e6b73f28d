package dev.beamattention.core;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Scaled dot-product multi-head self-attention over one sentence, in float64.
 *
 * <pre>
 * Q_i = X W_q[:, head i] + b_q[head i]        (K_i, V_i likewise)
 * S_i = scale * Q_i K_i^T                     (n x n); causal: S_i[r][c] = -inf for c &gt; r
 * A_i = softmax over each row of S_i
 * H_i = A_i V_i
 * output = concat(H_1 .. H_h) W_o + b_o       (or concat(H_1 .. H_h) without w_o)
 * </pre>
 *
 * <p>X is n x d_model with n &gt;= 1; the output is n x d_out and each A_i is n x n. The input is
 * never modified. Instances are safe to share between threads: the only state that changes, the
 * scratch rows of a call (see {@link RowPool}), is kept per thread.
 */
public final class MultiHeadAttention {
  private final AttentionParameters weights;
  private final Scale scale;
  private final boolean causal;
  private final double factor;
  // The projections prepared once for every sentence: W_q, W_k and W_v side by side (d_model x
  // (2 h d_k + h d_v)), and w_o (null without it).
  private final PackedFactor wQkv;
  private final PackedFactor wO;
  // Per thread, the rows of the products that do not leave apply, reused from call to call: about
  // three quarters of what attending a sentence would allocate otherwise.
  private final ThreadLocal<Workspace> workspace;

  private record Workspace(RowPool qkv, RowPool concat, RowPool q, RowPool v, RowPool heads) {}

  public MultiHeadAttention(AttentionParameters weights, Scale scale, boolean causal) {
    this.weights = weights;
    this.scale = scale;
    this.causal = causal;
    this.factor = scale.factorFor(weights.dK());
    wQkv = PackedFactor.of(sideBySide(weights.wQRef(), weights.wKRef(), weights.wVRef()));
    wO = weights.hasOutputProjection() ? PackedFactor.of(weights.wORef()) : null;
    int h = weights.heads();
    int dK = weights.dK();
    int dV = weights.dV();
    workspace =
        ThreadLocal.withInitial(
            () ->
                new Workspace(
                    new RowPool(2 * h * dK + h * dV),
                    new RowPool(h * dV),
                    new RowPool(dK),
                    new RowPool(dV),
                    new RowPool(dV)));
  }

  public AttentionParameters weights() {
    return weights;
  }

  public Scale scale() {
    return scale;
  }

  public boolean causal() {
    return causal;
  }

  /**
   * Attends one sentence.
   *
   * @param x the embeddings, n x d_model; not modified
   * @throws AttentionShapeException when x has no rows or its width is not d_model
   * @throws NonFiniteException when x holds NaN or an infinity, or the arithmetic overflows
   */
  public AttentionResult apply(RealMatrix x) {
    double[][] rows =
        x instanceof Array2DRowRealMatrix ? ((Array2DRowRealMatrix) x).getDataRef() : x.getData();
    return apply(rows);
  }

  /** As {@link #apply(RealMatrix)}, on rows: {@code x[r]} is token r's embedding; not modified. */
  public AttentionResult apply(double[][] x) {
    int n = x.length;
    int dModel = weights.dModel();
    if (n == 0) {
      throw new AttentionShapeException("embeddings have no rows: a sentence needs a token");
    }
    for (int r = 0; r < n; r++) {
      if (x[r].length != dModel) {
        throw new AttentionShapeException(
            "embeddings row "
                + r
                + " has "
                + x[r].length
                + " values but the weights need d_model = "
                + dModel);
      }
    }
    NonFiniteException.requireFinite("embeddings", x);

    int h = weights.heads();
    int dK = weights.dK();
    int dV = weights.dV();
    double[][] output = new double[n][weights.dOut()];
    Workspace work = workspace.get();
    // The heads side by side: the output itself without w_o.
    double[][] concat = wO != null ? work.concat().take(n) : output;
    double[][][] attention = new double[h][n][n];
    // The three projections first, as one product: their inner loops run over all heads' columns,
    // and X is packed for the kernel once. Columns are independent, so the bits are those of three.
    int kAt = h * dK;
    int vAt = 2 * h * dK;
    double[][] qkv = work.qkv().take(n);
    Gemm.multiply(x, wQkv, qkv, false);
    addBias(qkv, 0, weights.bQRef());
    addBias(qkv, kAt, weights.bKRef());
    addBias(qkv, vAt, weights.bVRef());
    double[][] q = work.q().take(n);
    double[][] kT = new double[dK][n];
    double[][] v = work.v().take(n);
    double[][] heads = work.heads().take(n);
    for (int i = 0; i < h; i++) {
      for (int r = 0; r < n; r++) {
        double[] row = qkv[r];
        System.arraycopy(row, i * dK, q[r], 0, dK);
        System.arraycopy(row, vAt + i * dV, v[r], 0, dV);
        for (int c = 0; c < dK; c++) {
          kT[c][r] = row[kAt + i * dK + c];
        }
      }
      double[][] a = attention[i];
      Gemm.multiply(q, kT, a, false);
      for (int r = 0; r < n; r++) {
        double[] row = a[r];
        int visible = causal ? r + 1 : n;
        for (int c = 0; c < visible; c++) {
          row[c] *= factor;
        }
        try {
          Softmax.inPlace(row, visible);
        } catch (NonFiniteException e) {
          throw new NonFiniteException(
              "attention scores of head " + i + " overflow in row " + r + ": " + e.getMessage());
        }
      }
      Gemm.multiply(a, v, heads, false);
      for (int r = 0; r < n; r++) {
        System.arraycopy(heads[r], 0, concat[r], i * dV, dV);
      }
    }
    // One product over all heads' columns, not one per head: Gemm adds each entry's terms in k
    // order, so the bits are those of heads accumulated one after another, and the kernel runs
    // its loops over k = h * d_v instead of d_v.
    if (wO != null) {
      Gemm.multiply(concat, wO, output, false);
    }
    addBias(output, 0, weights.bORef());
    try {
      NonFiniteException.requireFinite("output", output);
    } catch (NonFiniteException e) {
      throw new NonFiniteException("the output overflows: " + e.getMessage());
    }
    return new AttentionResult(output, attention);
  }

  // The rows of a, b and c joined: row r is a[r], then b[r], then c[r].
  private static double[][] sideBySide(double[][] a, double[][] b, double[][] c) {
    double[][] out = new double[a.length][a[0].length + b[0].length + c[0].length];
    for (int r = 0; r < a.length; r++) {
      System.arraycopy(a[r], 0, out[r], 0, a[r].length);
      System.arraycopy(b[r], 0, out[r], a[r].length, b[r].length);
      System.arraycopy(c[r], 0, out[r], a[r].length + b[r].length, c[r].length);
    }
    return out;
  }

  // Adds bias (when there is one) to the columns of every row from column from on.
  private static void addBias(double[][] rows, int from, double[] bias) {
    if (bias == null) {
      return;
    }
    for (double[] row : rows) {
      for (int c = 0; c < bias.length; c++) {
        row[from + c] += bias[c];
      }
    }
  }
}
