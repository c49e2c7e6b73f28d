package dev.beamattention.statistics;

import dev.beamattention.record.Codecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * A token pair of one head with the total weight it draws over the corpus ({@code mass}, the exact
 * sum rounded once) and the number of (row, column) cells it covers.
 */
public record TopPair(String from, String to, double mass, long count) {
  public TopPair {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  /**
   * Ranks pairs: the larger mass first; on equal masses the smaller {@code from}, then the smaller
   * {@code to} (String.compareTo). Top keeps the pairs this calls largest.
   */
  static final class ByMass implements Comparator<TopPair>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(TopPair a, TopPair b) {
      int c = Double.compare(a.mass(), b.mass());
      if (c != 0) {
        return c;
      }
      c = b.from().compareTo(a.from());
      return c != 0 ? c : b.to().compareTo(a.to());
    }
  }

  /** Both tokens, the mass's 8 bytes, the count as a VarLong. */
  static final class Coder extends CustomCoder<TopPair> {
    private static final long serialVersionUID = 1L;
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(TopPair pair, OutputStream out) throws IOException {
      Codecs.writeString(pair.from(), out);
      Codecs.writeString(pair.to(), out);
      DoubleCoder.of().encode(pair.mass(), out);
      VarInt.encode(pair.count(), out);
    }

    @Override
    public TopPair decode(InputStream in) throws IOException {
      String from = Codecs.readString(in);
      String to = Codecs.readString(in);
      double mass = DoubleCoder.of().decode(in);
      return new TopPair(from, to, mass, VarInt.decodeLong(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
