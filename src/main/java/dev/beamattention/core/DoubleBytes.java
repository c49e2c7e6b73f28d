package dev.beamattention.core;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Doubles as 8 little-endian bytes each (IEEE 754 binary64, as NumPy's {@code <f8}): the one byte
 * form of double arrays that the coders and the {@code .npy} writer share. Large arrays go through
 * a bounded buffer, so a table of a billion values is never copied whole.
 */
public final class DoubleBytes {
  private static final int CHUNK_VALUES = 8192;

  private DoubleBytes() {}

  /** Writes {@code values[offset, offset + length)}; the array is not modified. */
  public static void write(double[] values, int offset, int length, OutputStream out)
      throws IOException {
    ByteBuffer buf =
        ByteBuffer.allocate(8 * Math.min(length, CHUNK_VALUES)).order(ByteOrder.LITTLE_ENDIAN);
    for (int done = 0; done < length; ) {
      int n = Math.min(CHUNK_VALUES, length - done);
      buf.clear();
      buf.asDoubleBuffer().put(values, offset + done, n);
      out.write(buf.array(), 0, n * 8);
      done += n;
    }
  }

  /** Writes every row, one after another; rows may differ in length. */
  public static void writeRows(double[][] rows, OutputStream out) throws IOException {
    int total = 0;
    for (double[] row : rows) {
      total += row.length;
    }
    if (total <= CHUNK_VALUES) {
      // Small matrices (a sentence's rows) go out in one write.
      ByteBuffer buf = ByteBuffer.allocate(8 * total).order(ByteOrder.LITTLE_ENDIAN);
      for (double[] row : rows) {
        buf.asDoubleBuffer().put(row);
        buf.position(buf.position() + row.length * 8);
      }
      out.write(buf.array());
      return;
    }
    for (double[] row : rows) {
      write(row, 0, row.length, out);
    }
  }

  /**
   * Reads {@code length} values into {@code into[offset, offset + length)}.
   *
   * @throws java.io.EOFException when the stream ends first
   */
  public static void read(InputStream in, double[] into, int offset, int length)
      throws IOException {
    DataInputStream data =
        in instanceof DataInputStream ? (DataInputStream) in : new DataInputStream(in);
    byte[] chunk = new byte[8 * Math.min(length, CHUNK_VALUES)];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (int done = 0; done < length; ) {
      int n = Math.min(CHUNK_VALUES, length - done);
      data.readFully(chunk, 0, n * 8);
      buf.clear();
      buf.asDoubleBuffer().get(into, offset + done, n);
      done += n;
    }
  }
}
