package dev.beamattention.record;

import dev.beamattention.core.DoubleBytes;
import dev.beamattention.core.ExactSum;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.VarInt;

/**
 * The wire forms the project's coders share: strings, string arrays, vectors and matrices of
 * doubles (counts as VarInts, values as {@link DoubleBytes}), exact sums.
 */
public final class Codecs {
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();

  private Codecs() {}

  public static void writeString(String s, OutputStream out) throws IOException {
    STRING.encode(s, out);
  }

  public static String readString(InputStream in) throws IOException {
    return STRING.decode(in);
  }

  /** Count, then each string. */
  public static void writeStrings(String[] values, OutputStream out) throws IOException {
    VarInt.encode(values.length, out);
    for (String v : values) {
      STRING.encode(v, out);
    }
  }

  public static String[] readStrings(InputStream in) throws IOException {
    String[] values = new String[VarInt.decodeInt(in)];
    for (int i = 0; i < values.length; i++) {
      values[i] = STRING.decode(in);
    }
    return values;
  }

  /** Length, then the values. */
  public static void writeVector(double[] values, OutputStream out) throws IOException {
    VarInt.encode(values.length, out);
    DoubleBytes.write(values, 0, values.length, out);
  }

  public static double[] readVector(InputStream in) throws IOException {
    double[] values = new double[VarInt.decodeInt(in)];
    DoubleBytes.read(in, values, 0, values.length);
    return values;
  }

  /** Rows of equal length: row count, width, then every value. */
  public static void writeRows(double[][] rows, OutputStream out) throws IOException {
    VarInt.encode(rows.length, out);
    VarInt.encode(rows.length == 0 ? 0 : rows[0].length, out);
    DoubleBytes.writeRows(rows, out);
  }

  public static double[][] readRows(InputStream in) throws IOException {
    int count = VarInt.decodeInt(in);
    int width = VarInt.decodeInt(in);
    double[][] rows = new double[count][width];
    if ((long) count * width <= 8192) {
      double[] flat = new double[count * width];
      DoubleBytes.read(in, flat, 0, flat.length);
      for (int r = 0; r < count; r++) {
        System.arraycopy(flat, r * width, rows[r], 0, width);
      }
    } else {
      for (double[] row : rows) {
        DoubleBytes.read(in, row, 0, width);
      }
    }
    return rows;
  }

  /**
   * An {@link ExactSum}: its lowest digit's index, the digit count, then each digit as a VarLong.
   */
  public static void writeExactSum(ExactSum sum, OutputStream out) throws IOException {
    long[] digits = sum.digits();
    VarInt.encode(sum.lowDigit(), out);
    VarInt.encode(digits.length, out);
    for (long d : digits) {
      VarInt.encode(d, out);
    }
  }

  public static ExactSum readExactSum(InputStream in) throws IOException {
    int low = VarInt.decodeInt(in);
    long[] digits = new long[VarInt.decodeInt(in)];
    for (int i = 0; i < digits.length; i++) {
      digits[i] = VarInt.decodeLong(in);
    }
    return ExactSum.ofDigits(low, digits);
  }
}
