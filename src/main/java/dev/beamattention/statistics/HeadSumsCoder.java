package dev.beamattention.statistics;

import dev.beamattention.core.ExactSum;
import dev.beamattention.core.HeadSums;
import dev.beamattention.record.Codecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/** Encodes {@link HeadSums}: the four counts as VarLongs, then the six exact sums. */
final class HeadSumsCoder extends CustomCoder<HeadSums> {
  private static final long serialVersionUID = 1L;
  static final HeadSumsCoder INSTANCE = new HeadSumsCoder();

  @Override
  public void encode(HeadSums h, OutputStream out) throws IOException {
    VarInt.encode(h.sentences(), out);
    VarInt.encode(h.rows(), out);
    VarInt.encode(h.previousRows(), out);
    VarInt.encode(h.nextRows(), out);
    for (ExactSum s : h.sums()) {
      Codecs.writeExactSum(s, out);
    }
  }

  @Override
  public HeadSums decode(InputStream in) throws IOException {
    long sentences = VarInt.decodeLong(in);
    long rows = VarInt.decodeLong(in);
    long previousRows = VarInt.decodeLong(in);
    long nextRows = VarInt.decodeLong(in);
    ExactSum[] sums = new ExactSum[6];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = Codecs.readExactSum(in);
    }
    return new HeadSums(sentences, rows, previousRows, nextRows, sums);
  }
}
