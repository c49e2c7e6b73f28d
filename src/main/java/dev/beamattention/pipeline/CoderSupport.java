package dev.beamattention.pipeline;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/** Encodings shared by the custom coders: strings, string arrays and matrices of doubles. */
final class CoderSupport {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  private CoderSupport() {}

  static void writeString(String s, OutputStream out) throws IOException {
    STRING.encode(s, out);
  }

  static String readString(InputStream in) throws IOException {
    return STRING.decode(in);
  }

  static void writeStrings(String[] values, OutputStream out) throws IOException {
    VarInt.encode(values.length, out);
    for (String v : values) {
      STRING.encode(v, out);
    }
  }

  static String[] readStrings(InputStream in) throws IOException {
    String[] values = new String[VarInt.decodeInt(in)];
    for (int i = 0; i < values.length; i++) {
      values[i] = STRING.decode(in);
    }
    return values;
  }

  /** Rows of equal length, as row count, width, then every value as 8 little-endian bytes. */
  static void writeRows(double[][] rows, OutputStream out) throws IOException {
    int width = rows.length == 0 ? 0 : rows[0].length;
    VarInt.encode(rows.length, out);
    VarInt.encode(width, out);
    ByteBuffer buf = ByteBuffer.allocate(rows.length * width * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double[] row : rows) {
      buf.asDoubleBuffer().put(row);
      buf.position(buf.position() + width * 8);
    }
    out.write(buf.array());
  }

  static double[][] readRows(InputStream in) throws IOException {
    int count = VarInt.decodeInt(in);
    int width = VarInt.decodeInt(in);
    byte[] bytes = new byte[count * width * 8];
    new DataInputStream(in).readFully(bytes);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    double[][] rows = new double[count][width];
    for (double[] row : rows) {
      buf.asDoubleBuffer().get(row);
      buf.position(buf.position() + width * 8);
    }
    return rows;
  }
}
