package dev.beamattention.pipeline;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A sentence after attention: its contextual vectors (n x d_out) and the attention weights kept
 * for output (h x n x n for every head, 1 x n x n for their mean, or none).
 */
@DefaultCoder(AttendedSentenceCoder.class)
public final class AttendedSentence {
  private final String id;
  private final String[] tokens;
  private final double[][] output;
  private final double[][][] weights;

  public AttendedSentence(String id, String[] tokens, double[][] output, double[][][] weights) {
    this.id = Objects.requireNonNull(id, "id");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.output = Objects.requireNonNull(output, "output");
    this.weights = Objects.requireNonNull(weights, "weights");
  }

  public String id() {
    return id;
  }

  public String[] tokens() {
    return tokens;
  }

  /** Contextual vectors, n x d_out. */
  public double[][] output() {
    return output;
  }

  /** Attention weights, (heads, 1 or 0) x n x n. */
  public double[][][] weights() {
    return weights;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AttendedSentence)) {
      return false;
    }
    AttendedSentence s = (AttendedSentence) o;
    return id.equals(s.id)
        && Arrays.equals(tokens, s.tokens)
        && Arrays.deepEquals(output, s.output)
        && Arrays.deepEquals(weights, s.weights);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(tokens), Arrays.deepHashCode(output));
  }

  @Override
  public String toString() {
    return "AttendedSentence{" + id + ", " + Arrays.toString(tokens) + "}";
  }
}
