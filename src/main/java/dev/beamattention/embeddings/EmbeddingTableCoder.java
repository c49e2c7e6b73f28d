package dev.beamattention.embeddings;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/** A whole table: width, tokens, then every value as 8 little-endian bytes. */
public final class EmbeddingTableCoder extends CustomCoder<EmbeddingTable> {
  private static final long serialVersionUID = 1L;
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  @Override
  public void encode(EmbeddingTable table, OutputStream out) throws IOException {
    VarInt.encode(table.dim(), out);
    VarInt.encode(table.size(), out);
    for (String token : table.tokens()) {
      STRING.encode(token, out);
    }
    double[] values = table.values();
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      if (!buf.hasRemaining()) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      buf.putDouble(v);
    }
    out.write(buf.array(), 0, buf.position());
  }

  @Override
  public EmbeddingTable decode(InputStream in) throws IOException {
    int dim = VarInt.decodeInt(in);
    String[] tokens = new String[VarInt.decodeInt(in)];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = STRING.decode(in);
    }
    double[] values = new double[tokens.length * dim];
    DataInputStream data = new DataInputStream(in);
    byte[] chunk = new byte[1 << 16];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; ) {
      int n = Math.min(chunk.length / 8, values.length - i);
      data.readFully(chunk, 0, n * 8);
      buf.clear();
      buf.asDoubleBuffer().get(values, i, n);
      i += n;
    }
    return EmbeddingTable.of(dim, tokens, values);
  }
}
