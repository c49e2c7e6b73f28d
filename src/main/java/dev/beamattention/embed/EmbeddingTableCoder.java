package dev.beamattention.embed;

import dev.beamattention.core.DoubleBytes;
import dev.beamattention.record.Codecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/** A whole table: width, tokens, then every value as 8 little-endian bytes. */
final class EmbeddingTableCoder extends CustomCoder<EmbeddingTable> {
  private static final long serialVersionUID = 1L;

  @Override
  public void encode(EmbeddingTable table, OutputStream out) throws IOException {
    VarInt.encode(table.dim(), out);
    Codecs.writeStrings(table.tokens(), out);
    double[] values = table.values();
    DoubleBytes.write(values, 0, values.length, out);
  }

  @Override
  public EmbeddingTable decode(InputStream in) throws IOException {
    int dim = VarInt.decodeInt(in);
    String[] tokens = Codecs.readStrings(in);
    double[] values = new double[tokens.length * dim];
    DoubleBytes.read(in, values, 0, values.length);
    return EmbeddingTable.of(dim, tokens, values);
  }
}
