package dev.beamattention.pipeline;

import dev.beamattention.core.AttentionWeights;
import dev.beamattention.core.Scale;
import java.io.IOException;

/**
 * What the job settles before the pipeline runs: options checked, input matched, weights read or
 * drawn. Each problem becomes an {@link IllegalArgumentException} with one line that names it.
 */
public final class JobSetup {
  private final WeightsSource source;
  private final AttentionWeights weights;
  private final Scale scale;
  private final AttentionMode mode;

  private JobSetup(WeightsSource source, AttentionWeights weights, Scale scale, AttentionMode mode) {
    this.source = source;
    this.weights = weights;
    this.scale = scale;
    this.mode = mode;
  }

  /**
   * Checks the options and loads the weights once.
   *
   * @throws IllegalArgumentException naming the first unusable option, an input glob that matches
   *     nothing, or weights that cannot be read or do not fit each other
   */
  public static JobSetup resolve(AttentionOptions o) {
    requireAtLeast("--heads", o.getHeads(), 1);
    requireAtLeast("--dK", o.getdK(), 0);
    requireAtLeast("--dV", o.getdV(), 0);
    requireAtLeast("--dModel", o.getdModel(), 0);
    requireAtLeast("--maxLineBytes", o.getMaxLineBytes(), 1);
    requireAtLeast("--maxTokens", o.getMaxTokens(), 1);
    requireAtLeast("--numShards", o.getNumShards(), 0);
    Scale scale;
    try {
      scale = Scale.parse(o.getScale());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + e.getMessage());
    }
    AttentionMode mode = AttentionMode.parse(o.getAttention());
    try {
      InputPeek.match(o.getInput());
      WeightsSource source;
      if (o.getWeights().isEmpty()) {
        int dModel = o.getdModel() > 0 ? o.getdModel() : InputPeek.firstWidth(o.getInput(), o.getMaxTokens());
        source = WeightsSource.random(dModel, o.getHeads(), o.getdK(), o.getdV(), o.getSeed());
      } else {
        source = WeightsSource.file(o.getWeights(), o.getHeads());
      }
      String where = o.getWeights().isEmpty() ? "" : "weights " + o.getWeights() + ": ";
      return new JobSetup(source, load(source, where), scale, mode);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static AttentionWeights load(WeightsSource source, String where) {
    try {
      return source.load();
    } catch (IOException | IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  private static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
  }

  public WeightsSource source() {
    return source;
  }

  /** The weights every worker will load from {@link #source()}. */
  public AttentionWeights weights() {
    return weights;
  }

  public Scale scale() {
    return scale;
  }

  public AttentionMode mode() {
    return mode;
  }
}
