package dev.beamattention.statistics;

import dev.beamattention.core.HeadSums;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * One head's statistics over the corpus (or a window of it): the means and the top pairs, largest
 * mass first.
 */
public record HeadReport(int head, HeadSums.Summary summary, List<TopPair> topPairs) {
  public HeadReport {
    topPairs = List.copyOf(topPairs);
  }

  /** Head, counts, the means (optional ones behind a 0/1 byte), then the pairs. */
  static final class Coder extends CustomCoder<HeadReport> {
    private static final long serialVersionUID = 1L;
    static final Coder INSTANCE = new Coder();
    private static final DoubleCoder DOUBLE = DoubleCoder.of();

    @Override
    public void encode(HeadReport r, OutputStream out) throws IOException {
      HeadSums.Summary s = r.summary();
      VarInt.encode(r.head(), out);
      VarInt.encode(s.sentences(), out);
      VarInt.encode(s.rows(), out);
      DOUBLE.encode(s.entropy(), out);
      DOUBLE.encode(s.distance(), out);
      DOUBLE.encode(s.self(), out);
      writeOptional(s.previous(), out);
      writeOptional(s.next(), out);
      DOUBLE.encode(s.first(), out);
      VarInt.encode(r.topPairs().size(), out);
      for (TopPair p : r.topPairs()) {
        TopPair.Coder.INSTANCE.encode(p, out);
      }
    }

    @Override
    public HeadReport decode(InputStream in) throws IOException {
      int head = VarInt.decodeInt(in);
      HeadSums.Summary s =
          new HeadSums.Summary(
              VarInt.decodeLong(in),
              VarInt.decodeLong(in),
              DOUBLE.decode(in),
              DOUBLE.decode(in),
              DOUBLE.decode(in),
              readOptional(in),
              readOptional(in),
              DOUBLE.decode(in));
      int n = VarInt.decodeInt(in);
      List<TopPair> pairs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        pairs.add(TopPair.Coder.INSTANCE.decode(in));
      }
      return new HeadReport(head, s, pairs);
    }

    @Override
    public void verifyDeterministic() {}

    private static void writeOptional(OptionalDouble v, OutputStream out) throws IOException {
      out.write(v.isPresent() ? 1 : 0);
      if (v.isPresent()) {
        DOUBLE.encode(v.getAsDouble(), out);
      }
    }

    private static OptionalDouble readOptional(InputStream in) throws IOException {
      int flag = in.read();
      if (flag < 0) {
        throw new java.io.EOFException();
      }
      return flag == 1 ? OptionalDouble.of(DOUBLE.decode(in)) : OptionalDouble.empty();
    }
  }
}
