package dev.beamattention.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The parameters of multi-head self-attention, in the tutorial's orientation {@code Q = X W_q}.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><td>{@code w_q}, {@code w_k}</td><td>d_model x (h * d_k)</td><td>required</td></tr>
 *   <tr><td>{@code w_v}</td><td>d_model x (h * d_v)</td><td>required</td></tr>
 *   <tr><td>{@code w_o}</td><td>(h * d_v) x d_out</td><td>optional</td></tr>
 *   <tr><td>{@code b_q}, {@code b_k}</td><td>h * d_k</td><td>optional</td></tr>
 *   <tr><td>{@code b_v}</td><td>h * d_v</td><td>optional</td></tr>
 *   <tr><td>{@code b_o}</td><td>d_out</td><td>optional, only with {@code w_o}</td></tr>
 * </table>
 *
 * <p>Head i uses columns {@code [i*d_k, (i+1)*d_k)} of {@code w_q} and {@code w_k} and {@code
 * [i*d_v, (i+1)*d_v)} of {@code w_v}, the split of {@code torch.nn.MultiheadAttention}.
 *
 * <p>Instances are immutable: the factory copies what it is given and getters return copies.
 */
public final class AttentionParameters {
  /** The names a weights file may hold. */
  public static final Set<String> NAMES =
      Set.of("w_q", "w_k", "w_v", "w_o", "b_q", "b_k", "b_v", "b_o");

  private final int heads;
  private final double[][] wQ;
  private final double[][] wK;
  private final double[][] wV;
  private final double[][] wO;
  private final double[] bQ;
  private final double[] bK;
  private final double[] bV;
  private final double[] bO;

  private AttentionParameters(
      int heads,
      double[][] wQ,
      double[][] wK,
      double[][] wV,
      double[][] wO,
      double[] bQ,
      double[] bK,
      double[] bV,
      double[] bO) {
    this.heads = heads;
    this.wQ = wQ;
    this.wK = wK;
    this.wV = wV;
    this.wO = wO;
    this.bQ = bQ;
    this.bK = bK;
    this.bV = bV;
    this.bO = bO;
  }

  /**
   * Checks and copies named arrays: matrices as {@code double[][]} (rows), biases as {@code
   * double[]}.
   *
   * @param heads h, at least 1
   * @param arrays by the names of {@link #NAMES}; others are refused
   * @throws AttentionShapeException when a matrix is missing, unknown, ragged or does not fit the
   *     others, naming the matrices and their sizes
   * @throws NonFiniteException when a value is NaN or infinite
   */
  public static AttentionParameters of(int heads, Map<String, ?> arrays) {
    if (heads < 1) {
      throw new AttentionShapeException("heads must be at least 1, got " + heads);
    }
    for (String name : arrays.keySet()) {
      if (!NAMES.contains(name)) {
        throw new AttentionShapeException(
            "unknown weight '"
                + name
                + "': expected some of w_q, w_k, w_v, w_o, b_q, b_k, b_v, b_o");
      }
    }
    double[][] wQ = matrix(arrays, "w_q", true);
    double[][] wK = matrix(arrays, "w_k", true);
    double[][] wV = matrix(arrays, "w_v", true);
    double[][] wO = matrix(arrays, "w_o", false);
    double[] bQ = vector(arrays, "b_q");
    double[] bK = vector(arrays, "b_k");
    double[] bV = vector(arrays, "b_v");
    double[] bO = vector(arrays, "b_o");

    int dModel = wQ.length;
    requireRows("w_k", wK, "w_q", dModel, "both need d_model rows");
    requireRows("w_v", wV, "w_q", dModel, "all three need d_model rows");
    int qCols = wQ[0].length;
    if (wK[0].length != qCols) {
      throw new AttentionShapeException(
          "w_k has "
              + wK[0].length
              + " columns but w_q has "
              + qCols
              + ": both need h * d_k columns");
    }
    if (qCols % heads != 0) {
      throw new AttentionShapeException(
          "w_q has " + qCols + " columns, which " + heads + " heads cannot share: need h * d_k");
    }
    int vCols = wV[0].length;
    if (vCols % heads != 0) {
      throw new AttentionShapeException(
          "w_v has " + vCols + " columns, which " + heads + " heads cannot share: need h * d_v");
    }
    requireLength("b_q", bQ, qCols, "w_q has " + qCols + " columns");
    requireLength("b_k", bK, qCols, "w_k has " + qCols + " columns");
    requireLength("b_v", bV, vCols, "w_v has " + vCols + " columns");
    if (wO != null) {
      requireRows("w_o", wO, "w_v columns", vCols, "w_o needs h * d_v rows");
      requireLength("b_o", bO, wO[0].length, "w_o has " + wO[0].length + " columns");
    } else if (bO != null) {
      throw new AttentionShapeException("b_o is given without w_o: b_o goes with w_o only");
    }

    NonFiniteException.requireFinite("w_q", wQ);
    NonFiniteException.requireFinite("w_k", wK);
    NonFiniteException.requireFinite("w_v", wV);
    if (wO != null) {
      NonFiniteException.requireFinite("w_o", wO);
    }
    for (Map.Entry<String, double[]> bias :
        Map.of("b_q", orEmpty(bQ), "b_k", orEmpty(bK), "b_v", orEmpty(bV), "b_o", orEmpty(bO))
            .entrySet()) {
      NonFiniteException.requireFinite(bias.getKey(), bias.getValue());
    }
    return new AttentionParameters(heads, wQ, wK, wV, wO, bQ, bK, bV, bO);
  }

  public int heads() {
    return heads;
  }

  public int dModel() {
    return wQ.length;
  }

  public int dK() {
    return wQ[0].length / heads;
  }

  public int dV() {
    return wV[0].length / heads;
  }

  /** Width of a contextual vector: columns of {@code w_o}, else {@code h * d_v}. */
  public int dOut() {
    return wO == null ? wV[0].length : wO[0].length;
  }

  public boolean hasOutputProjection() {
    return wO != null;
  }

  public RealMatrix wQ() {
    return new Array2DRowRealMatrix(wQ, true);
  }

  public RealMatrix wK() {
    return new Array2DRowRealMatrix(wK, true);
  }

  public RealMatrix wV() {
    return new Array2DRowRealMatrix(wV, true);
  }

  /** {@code w_o}, or null when the output is the heads concatenated. */
  public RealMatrix wO() {
    return wO == null ? null : new Array2DRowRealMatrix(wO, true);
  }

  /**
   * All arrays by name, copied: matrices as {@code double[][]}, biases as {@code double[]}; absent
   * optional ones are left out. {@code of(heads(), asMap())} rebuilds an equal instance.
   */
  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("w_q", copy(wQ));
    map.put("w_k", copy(wK));
    map.put("w_v", copy(wV));
    if (wO != null) {
      map.put("w_o", copy(wO));
    }
    putIfPresent(map, "b_q", bQ);
    putIfPresent(map, "b_k", bK);
    putIfPresent(map, "b_v", bV);
    putIfPresent(map, "b_o", bO);
    return map;
  }

  // Package-private views for the kernel, which only reads them.
  double[][] wQRef() {
    return wQ;
  }

  double[][] wKRef() {
    return wK;
  }

  double[][] wVRef() {
    return wV;
  }

  double[][] wORef() {
    return wO;
  }

  double[] bQRef() {
    return bQ;
  }

  double[] bKRef() {
    return bK;
  }

  double[] bVRef() {
    return bV;
  }

  double[] bORef() {
    return bO;
  }

  private static void putIfPresent(Map<String, Object> map, String name, double[] v) {
    if (v != null) {
      map.put(name, v.clone());
    }
  }

  private static double[] orEmpty(double[] v) {
    return v == null ? new double[0] : v;
  }

  private static double[][] copy(double[][] m) {
    double[][] out = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i].clone();
    }
    return out;
  }

  private static void requireRows(
      String name, double[][] m, String otherName, int rows, String why) {
    if (m.length != rows) {
      throw new AttentionShapeException(
          name + " has " + m.length + " rows but " + otherName + " has " + rows + ": " + why);
    }
  }

  private static void requireLength(String name, double[] v, int length, String why) {
    if (v != null && v.length != length) {
      throw new AttentionShapeException(
          name + " has " + v.length + " values but " + why + ": they must match");
    }
  }

  private static double[][] matrix(Map<String, ?> arrays, String name, boolean required) {
    Object value = arrays.get(name);
    if (value == null) {
      if (required) {
        throw new AttentionShapeException("weights lack " + name + ", which is required");
      }
      return null;
    }
    double[][] m;
    if (value instanceof RealMatrix) {
      m = ((RealMatrix) value).getData();
    } else if (value instanceof double[][]) {
      m = copy((double[][]) value);
    } else {
      throw new AttentionShapeException(name + " must be a matrix (2 dimensions)");
    }
    if (m.length == 0 || m[0].length == 0) {
      throw new AttentionShapeException(name + " is empty: it needs at least one row and column");
    }
    for (int r = 1; r < m.length; r++) {
      if (m[r].length != m[0].length) {
        throw new AttentionShapeException(
            name + " row " + r + " has " + m[r].length + " values, row 0 has " + m[0].length);
      }
    }
    return m;
  }

  private static double[] vector(Map<String, ?> arrays, String name) {
    Object value = arrays.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof double[])) {
      throw new AttentionShapeException(name + " must be a vector (1 dimension)");
    }
    return ((double[]) value).clone();
  }
}
