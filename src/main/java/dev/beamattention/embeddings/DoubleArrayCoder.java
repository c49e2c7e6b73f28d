package dev.beamattention.embeddings;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/** A vector: its length, then its values as 8 little-endian bytes each. */
public final class DoubleArrayCoder extends CustomCoder<double[]> {
  private static final long serialVersionUID = 1L;
  private static final DoubleArrayCoder INSTANCE = new DoubleArrayCoder();

  public static DoubleArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(double[] value, OutputStream out) throws IOException {
    VarInt.encode(value.length, out);
    ByteBuffer buf = ByteBuffer.allocate(value.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    buf.asDoubleBuffer().put(value);
    out.write(buf.array());
  }

  @Override
  public double[] decode(InputStream in) throws IOException {
    double[] value = new double[VarInt.decodeInt(in)];
    byte[] bytes = new byte[value.length * 8];
    new DataInputStream(in).readFully(bytes);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(value);
    return value;
  }

  @Override
  public void verifyDeterministic() {}
}
