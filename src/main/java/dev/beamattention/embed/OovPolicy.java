package dev.beamattention.embed;

import dev.beamattention.record.BadRecordException;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What to do with a token the table lacks. */
public enum OovPolicy {
  /** The sentence becomes an error record naming its first unknown tokens. */
  ERROR,
  /** The token gets a vector of zeros. */
  ZERO,
  /** The token leaves the sentence; the rest stays. */
  SKIP;

  /** The policy named {@code error}, {@code zero} or {@code skip}, in any case. */
  public static Optional<OovPolicy> named(String text) {
    for (OovPolicy p : values()) {
      if (p.name().equalsIgnoreCase(text.trim())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Puts a sentence together from its tokens' vectors.
   *
   * @param vectors one per token, null where the table lacks the token
   * @throws BadRecordException under {@link #ERROR} when a token is unknown, and under {@link
   *     #SKIP} when no token is known
   */
  public Sentence assemble(PendingSentence pending, double[][] vectors, int dim)
      throws BadRecordException {
    String[] tokens = pending.tokens();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < tokens.length; i++) {
      if (vectors[i] == null) {
        unknown.add(tokens[i]);
      }
    }
    if (unknown.isEmpty()) {
      return new Sentence(pending.id(), tokens, vectors);
    }
    switch (this) {
      case ERROR:
        List<String> first = unknown.subList(0, Math.min(5, unknown.size()));
        throw new BadRecordException(
            ErrorKind.UNKNOWN_TOKENS,
            unknown.size()
                + " token(s) not in the embeddings table: "
                + String.join(", ", quote(first))
                + (unknown.size() > first.size() ? ", ..." : ""));
      case ZERO:
        double[][] filled = new double[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
          filled[i] = vectors[i] != null ? vectors[i] : new double[dim];
        }
        return new Sentence(pending.id(), tokens, filled);
      default:
        List<String> kept = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
          if (vectors[i] != null) {
            kept.add(tokens[i]);
            rows.add(vectors[i]);
          }
        }
        if (kept.isEmpty()) {
          throw new BadRecordException(
              ErrorKind.UNKNOWN_TOKENS,
              "no token is in the embeddings table: nothing is left to attend");
        }
        return new Sentence(
            pending.id(), kept.toArray(new String[0]), rows.toArray(new double[0][]));
    }
  }

  private static List<String> quote(List<String> tokens) {
    List<String> out = new ArrayList<>();
    for (String t : tokens) {
      out.add("'" + t + "'");
    }
    return out;
  }
}
