package dev.beamattention.weights;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.AttentionShapeException;
import dev.beamattention.core.DoubleBytes;
import dev.beamattention.core.Limits;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npy} arrays and {@code .npz} archives of them, for floating-point weights.
 *
 * <p>Reads format versions 1 to 3, float64 and float32 (and integer) arrays of either byte order,
 * in C or Fortran order, from archives written by {@code np.savez} or {@code np.savez_compressed}.
 * Writes little-endian float64 C-order arrays in format 1.0, which {@code numpy.load} reads back
 * bit for bit. (org.jetbrains.bio:npy refuses Fortran order and 2-D shapes, so this small reader is
 * ours; its tests read files NumPy wrote.)
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** An array's shape and its values in C (row-major) order. */
  public static final class Array {
    private final int[] shape;
    private final double[] data;

    public Array(int[] shape, double[] data) {
      this.shape = shape.clone();
      this.data = data;
    }

    public int[] shape() {
      return shape.clone();
    }

    public double[] data() {
      return data;
    }

    /** A 1-D array as a vector or a 2-D one as rows; the form {@link AttentionParameters} takes. */
    public Object toVectorOrRows(String name) {
      if (shape.length == 1) {
        return data.clone();
      }
      if (shape.length != 2) {
        throw new AttentionShapeException(
            name + " has " + shape.length + " dimensions: weights have 1 (biases) or 2 (matrices)");
      }
      double[][] rows = new double[shape[0]][shape[1]];
      for (int r = 0; r < shape[0]; r++) {
        System.arraycopy(data, r * shape[1], rows[r], 0, shape[1]);
      }
      return rows;
    }
  }

  /** As {@link #readNpz(InputStream, long)}, with no size known for the archive. */
  public static Map<String, Array> readNpz(InputStream in) throws IOException {
    return readNpz(in, Long.MAX_VALUE);
  }

  /**
   * Reads every {@code NAME.npy} entry of an {@code .npz} archive, by NAME.
   *
   * <p>Sizes are checked before they are allocated: an array's header may claim no more than {@link
   * Limits#MAX_WEIGHT_VALUES} values, nor more bytes than its member declares or the file can give
   * (its {@code fileBytes}, times {@link Limits#MAX_DEFLATE_RATIO} for a deflated member); values
   * are taken as the bytes arrive, so a header that lies runs out of data before much is held; and
   * a member holding more bytes than its header needs is refused at the first extra byte, unread.
   *
   * @param fileBytes the archive's size in bytes
   * @throws IOException naming the array, when there is one, and what is wrong with it
   */
  public static Map<String, Array> readNpz(InputStream in, long fileBytes) throws IOException {
    Map<String, Array> arrays = new LinkedHashMap<>();
    ZipInputStream zip = new ZipInputStream(in);
    String name = null;
    try {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        name =
            e.getName().endsWith(".npy")
                ? e.getName().substring(0, e.getName().length() - 4)
                : e.getName();
        arrays.put(name, read(zip, memberBytes(e, fileBytes), true));
        name = null;
      }
    } catch (IOException | RuntimeException ex) {
      throw new IOException((name == null ? "" : "array '" + name + "': ") + cause(ex), ex);
    }
    if (arrays.isEmpty()) {
      throw new IOException("not an .npz archive, or an empty one");
    }
    return arrays;
  }

  // The most bytes a member can hold: what it declares, else what the file can give.
  private static long memberBytes(ZipEntry e, long fileBytes) {
    if (e.getSize() >= 0) {
      return e.getSize();
    }
    if (e.getMethod() == ZipEntry.STORED) {
      return fileBytes;
    }
    long packed = e.getCompressedSize() >= 0 ? e.getCompressedSize() : fileBytes;
    return packed > Long.MAX_VALUE / Limits.MAX_DEFLATE_RATIO
        ? Long.MAX_VALUE
        : packed * Limits.MAX_DEFLATE_RATIO;
  }

  // Exceptions of the zip and data streams, some without a message, as words.
  static String cause(Throwable ex) {
    String message = ex.getMessage();
    if (ex instanceof EOFException) {
      return "the file ends early" + (message == null ? "" : " (" + message + ")");
    }
    return message == null ? ex.getClass().getSimpleName() : message;
  }

  /** Reads one {@code .npy} array; leaves the stream after its data. */
  public static Array read(InputStream in) throws IOException {
    return read(in, Long.MAX_VALUE, false);
  }

  /**
   * Reads one array of at most {@code maxBytes} bytes, header included; when {@code whole}, the
   * stream must end with its data.
   */
  private static Array read(InputStream in, long maxBytes, boolean whole) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] magic = new byte[6];
    data.readFully(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException("not an .npy array (bad magic)");
    }
    int major = data.readUnsignedByte();
    data.readUnsignedByte();
    long headerLength;
    long prefix;
    if (major == 1) {
      headerLength = data.readUnsignedByte() | (data.readUnsignedByte() << 8);
      prefix = 10;
    } else if (major == 2 || major == 3) {
      byte[] b = new byte[4];
      data.readFully(b);
      headerLength = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
      prefix = 12;
    } else {
      throw new IOException("unsupported .npy format version " + major);
    }
    if (headerLength > 1 << 20 || prefix + headerLength > maxBytes) {
      throw new IOException(
          "header of "
              + headerLength
              + " bytes is too long"
              + (maxBytes < Long.MAX_VALUE ? " for a member of " + maxBytes + " bytes" : ""));
    }
    byte[] headerBytes = new byte[(int) headerLength];
    data.readFully(headerBytes);
    String header =
        new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = find(DESCR, header, "descr");
    boolean fortran = find(FORTRAN, header, "fortran_order").equals("True");
    int[] shape = parseShape(find(SHAPE, header, "shape"));
    long count = 1;
    for (int s : shape) {
      if (s < 0) {
        throw new IOException("bad shape " + shapeText(shape));
      }
      count = Math.min(Limits.MAX_WEIGHT_VALUES + 1, count * s); // no overflow: both < 2^32
    }
    if (count > Limits.MAX_WEIGHT_VALUES) {
      throw new IOException(
          "header claims "
              + shapeText(shape)
              + " values, more than the "
              + Limits.MAX_WEIGHT_VALUES
              + " a weights array may hold");
    }
    int width = elementWidth(descr);
    long dataBytes = count * width;
    if (prefix + headerLength + dataBytes > maxBytes) {
      throw new IOException(
          "header claims "
              + shapeText(shape)
              + " values of "
              + width
              + " bytes, "
              + dataBytes
              + " bytes of data, more than the "
              + maxBytes
              + " bytes its member can hold");
    }
    double[] values =
        values(
            data,
            (int) count,
            width,
            descr.charAt(1),
            descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    if (whole && in.read() >= 0) {
      // One byte read, not the rest: a member padded with gigabytes is refused at once.
      throw new IOException(
          "holds more bytes than its header's "
              + shapeText(shape)
              + " values need ("
              + dataBytes
              + " bytes of data)");
    }
    if (fortran && shape.length > 1) {
      values = fortranToC(values, shape);
    }
    return new Array(shape, values);
  }

  // Converts the data as it arrives, in chunks, into an array grown as they come: a header that
  // claims more than the stream holds ends in EOFException before the claim is allocated.
  private static double[] values(
      DataInputStream data, int count, int width, char kind, ByteOrder order) throws IOException {
    int chunkValues = (64 << 10) / width;
    byte[] chunk = new byte[chunkValues * width];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(order);
    double[] values = new double[Math.min(count, 1 << 16)];
    int done = 0;
    while (done < count) {
      int n = Math.min(chunkValues, count - done);
      try {
        data.readFully(chunk, 0, n * width);
      } catch (IOException e) {
        throw new IOException(
            "its data breaks off within values "
                + done
                + " to "
                + (done + n)
                + " of the "
                + count
                + " its header claims ("
                + cause(e)
                + ")",
            e);
      }
      if (done + n > values.length) {
        values = java.util.Arrays.copyOf(values, (int) Math.min(count, 2L * values.length + n));
      }
      buf.clear();
      for (int i = 0; i < n; i++) {
        values[done + i] = element(buf, kind, width);
      }
      done += n;
    }
    return values;
  }

  private static String shapeText(int[] shape) {
    StringBuilder s = new StringBuilder();
    for (int d : shape) {
      s.append(s.length() == 0 ? "" : " x ").append(d);
    }
    return s.length() == 0 ? "1" : s.toString();
  }

  /** Writes arrays as an uncompressed {@code .npz} archive, each as {@code NAME.npy}. */
  public static void writeNpz(OutputStream out, Map<String, Array> arrays) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    // Stored blocks: float64 weights barely compress, and deflating them slowed the job's start.
    zip.setLevel(Deflater.NO_COMPRESSION);
    for (Map.Entry<String, Array> e : arrays.entrySet()) {
      zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
      write(zip, e.getValue());
      zip.closeEntry();
    }
    zip.finish();
  }

  /** Writes one array as little-endian float64 in C order, format 1.0. */
  public static void write(OutputStream out, Array array) throws IOException {
    StringBuilder shape = new StringBuilder();
    for (int s : array.shape) {
      shape.append(s).append(", ");
    }
    String dims =
        array.shape.length == 1 ? array.shape[0] + "," : shape.substring(0, shape.length() - 2);
    String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
    // Magic (6) + version (2) + length (2) + header must be a multiple of 64, header ends in \n.
    int total = 10 + dict.length() + 1;
    int padded = (total + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - total) + "\n";
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(MAGIC);
    head.write(1);
    head.write(0);
    head.write(header.length() & 0xff);
    head.write(header.length() >>> 8);
    head.write(header.getBytes(StandardCharsets.ISO_8859_1));
    out.write(head.toByteArray());
    DoubleBytes.write(array.data, 0, array.data.length, out);
  }

  private static String find(Pattern p, String header, String key) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw new IOException("header lacks '" + key + "': " + header.trim());
    }
    return m.group(1);
  }

  private static int[] parseShape(String text) throws IOException {
    String[] parts = text.split(",");
    int dims = 0;
    int[] shape = new int[parts.length];
    for (String part : parts) {
      String t = part.trim();
      if (!t.isEmpty()) {
        try {
          shape[dims++] = Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
        } catch (NumberFormatException e) {
          throw new IOException("bad shape (" + text + ")");
        }
      }
    }
    return java.util.Arrays.copyOf(shape, dims);
  }

  private static int elementWidth(String descr) throws IOException {
    if (descr.length() < 3 || "<>|=".indexOf(descr.charAt(0)) < 0) {
      throw new IOException("unsupported dtype '" + descr + "'");
    }
    String kinds = descr.charAt(1) == 'f' ? "48" : "1248";
    String w = descr.substring(2);
    if ("fiu".indexOf(descr.charAt(1)) < 0 || w.length() != 1 || kinds.indexOf(w.charAt(0)) < 0) {
      throw new IOException("unsupported dtype '" + descr + "': use float64 or float32");
    }
    return w.charAt(0) - '0';
  }

  private static double element(ByteBuffer buf, char kind, int width) {
    if (kind == 'f') {
      return width == 8 ? buf.getDouble() : buf.getFloat();
    }
    boolean unsigned = kind == 'u';
    switch (width) {
      case 1:
        return unsigned ? buf.get() & 0xff : buf.get();
      case 2:
        return unsigned ? buf.getShort() & 0xffff : buf.getShort();
      case 4:
        return unsigned ? buf.getInt() & 0xffffffffL : buf.getInt();
      default:
        long l = buf.getLong();
        return unsigned && l < 0 ? (double) (l >>> 1) * 2.0 : l;
    }
  }

  // Fortran order varies the first index fastest; C order the last.
  private static double[] fortranToC(double[] f, int[] shape) {
    double[] c = new double[f.length];
    int dims = shape.length;
    int[] index = new int[dims];
    for (int fi = 0; fi < f.length; fi++) {
      int ci = 0;
      for (int d = 0; d < dims; d++) {
        ci = ci * shape[d] + index[d];
      }
      c[ci] = f[fi];
      for (int d = 0; d < dims && ++index[d] == shape[d]; d++) {
        index[d] = 0;
      }
    }
    return c;
  }
}
