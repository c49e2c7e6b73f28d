package dev.beamattention.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;

/** A vector: its length, then its values as 8 little-endian bytes each. */
public final class DoubleArrayCoder extends CustomCoder<double[]> {
  private static final long serialVersionUID = 1L;
  private static final DoubleArrayCoder INSTANCE = new DoubleArrayCoder();

  public static DoubleArrayCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(double[] value, OutputStream out) throws IOException {
    Codecs.writeVector(value, out);
  }

  @Override
  public double[] decode(InputStream in) throws IOException {
    return Codecs.readVector(in);
  }

  @Override
  public void verifyDeterministic() {}
}
