package dev.beamattention.record;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A sentence after attention: its contextual vectors (n x d_out) and the attention maps kept for
 * output, as {@link KeptAttention} says: h x n x n for every head, 1 x n x n for their mean, or
 * none. Each map's row r holds the weights token r gives every token, summing to 1.
 */
@DefaultCoder(AttendedSentenceCoder.class)
public final class AttendedSentence {
  private final String id;
  private final String[] tokens;
  private final double[][] output;
  private final double[][][] attention;

  public AttendedSentence(String id, String[] tokens, double[][] output, double[][][] attention) {
    this.id = Objects.requireNonNull(id, "id");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.output = Objects.requireNonNull(output, "output");
    this.attention = Objects.requireNonNull(attention, "attention");
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

  /** The kept attention maps, (heads, 1 or 0) x n x n. */
  public double[][][] attention() {
    return attention;
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
        && Arrays.deepEquals(attention, s.attention);
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
