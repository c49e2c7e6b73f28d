package dev.beamattention.weights;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.AttentionShapeException;
import dev.beamattention.core.Limits;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Weights drawn from a seed, the same in every JVM, worker and run.
 *
 * <p>Like {@code torch.nn.MultiheadAttention}'s {@code in_proj_weight}, {@code w_q}, {@code w_k}
 * and {@code w_v} are seen as one stacked matrix and drawn Xavier/Glorot uniform from {@code U(-b,
 * b)} with {@code b = sqrt(6 / (d_model + h*(2*d_k + d_v)))}; there are no biases and no {@code
 * w_o}. Values come from {@link SplittableRandom}, whose sequence for a seed is specified, in the
 * order w_q, w_k, w_v, each row by row.
 */
public final class RandomWeights {
  private RandomWeights() {}

  /**
   * Draws weights.
   *
   * @param dK width of a head's queries and keys; 0 means d_model / heads
   * @param dV width of a head's values; 0 means d_model / heads
   * @throws AttentionShapeException when a size is not positive, d_model is not divisible by heads
   *     while dK or dV is left to be derived, or a size is past {@link Limits}
   */
  public static AttentionParameters xavier(int dModel, int heads, int dK, int dV, long seed) {
    if (dModel < 1) {
      throw new AttentionShapeException("d_model must be at least 1, got " + dModel);
    }
    if (heads < 1) {
      throw new AttentionShapeException("heads must be at least 1, got " + heads);
    }
    if (dK < 0 || dV < 0) {
      throw new AttentionShapeException("dK and dV must be positive, got " + dK + " and " + dV);
    }
    if ((dK == 0 || dV == 0) && dModel % heads != 0) {
      throw new AttentionShapeException(
          "d_model = "
              + dModel
              + " is not divisible by "
              + heads
              + " heads: choose another --heads or give --dK and --dV");
    }
    int k = dK == 0 ? dModel / heads : dK;
    int v = dV == 0 ? dModel / heads : dV;
    if (dModel > Limits.MAX_D_MODEL) {
      throw new AttentionShapeException(
          "d_model = " + dModel + " is more than the " + Limits.MAX_D_MODEL + " the job allows");
    }
    long widest = (long) heads * Math.max(k, v);
    if (dModel * widest > Limits.MAX_WEIGHT_VALUES) {
      throw new AttentionShapeException(
          "weights of d_model = "
              + dModel
              + " and "
              + heads
              + " heads x "
              + Math.max(k, v)
              + " columns would hold "
              + dModel * widest
              + " values per matrix, more than the "
              + Limits.MAX_WEIGHT_VALUES
              + " the job allows");
    }
    double bound = Math.sqrt(6.0 / (dModel + heads * (2.0 * k + v)));
    SplittableRandom random = new SplittableRandom(seed);
    double[][] wQ = uniform(random, dModel, heads * k, bound);
    double[][] wK = uniform(random, dModel, heads * k, bound);
    double[][] wV = uniform(random, dModel, heads * v, bound);
    return AttentionParameters.of(heads, Map.of("w_q", wQ, "w_k", wK, "w_v", wV));
  }

  private static double[][] uniform(SplittableRandom random, int rows, int cols, double bound) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int c = 0; c < cols; c++) {
        row[c] = bound * (2.0 * random.nextDouble() - 1.0);
      }
    }
    return m;
  }
}
