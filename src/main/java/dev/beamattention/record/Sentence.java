package dev.beamattention.record;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One input sentence: an id, n tokens and their embeddings (n rows of d_model values).
 *
 * <p>Arrays are held as given, not copied: treat instances as immutable.
 */
@DefaultCoder(SentenceCoder.class)
public final class Sentence {
  private final String id;
  private final String[] tokens;
  private final double[][] embeddings;

  public Sentence(String id, String[] tokens, double[][] embeddings) {
    this.id = Objects.requireNonNull(id, "id");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.embeddings = Objects.requireNonNull(embeddings, "embeddings");
  }

  public String id() {
    return id;
  }

  public String[] tokens() {
    return tokens;
  }

  /** Rows of the embedding matrix X, n x d_model. */
  public double[][] embeddings() {
    return embeddings;
  }

  public int length() {
    return tokens.length;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Sentence)) {
      return false;
    }
    Sentence s = (Sentence) o;
    return id.equals(s.id)
        && Arrays.equals(tokens, s.tokens)
        && Arrays.deepEquals(embeddings, s.embeddings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(tokens), Arrays.deepHashCode(embeddings));
  }

  @Override
  public String toString() {
    return "Sentence{" + id + ", " + Arrays.toString(tokens) + "}";
  }
}
