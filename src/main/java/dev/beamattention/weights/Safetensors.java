package dev.beamattention.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hugging Face's {@code .safetensors} files: an 8-byte little-endian header length N, N bytes of
 * JSON ({@code {"NAME": {"dtype", "shape", "data_offsets": [begin, end]}, ..., "__metadata__":
 * {string: string}}}), then the tensors' raw little-endian bytes, offsets counted from the end of
 * the header.
 *
 * <p>Every length and offset in the header is checked against the file's length before anything is
 * allocated, so a truncated file or a header that points past its end is refused with one line.
 * Only the tensors asked for are read (in file order, skipping the rest), so one attention block
 * can be taken from a whole model's file. Dtypes F64, F32, F16 and BF16 become float64 exactly.
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FLOATS = Set.of("F64", "F32", "F16", "BF16");

  /** The largest header read: real models' headers are well under a megabyte. */
  static final long MAX_HEADER_BYTES = 100L << 20;

  private Safetensors() {}

  /**
   * One tensor's entry in the header, checked against the file.
   *
   * @param begin offset of its first byte, from the end of the header
   * @param end offset after its last byte
   */
  record Entry(String name, String dtype, int[] shape, long begin, long end) {}

  /** A file's header: its tensors by name, in header order, and its string metadata. */
  record Header(Map<String, Entry> tensors, Map<String, String> metadata, long dataStart) {}

  /**
   * Reads and checks the header, leaving {@code in} at the first data byte.
   *
   * @param length the file's length in bytes
   * @throws IOException naming the first length, offset or entry that does not fit
   */
  static Header readHeader(InputStream in, long length) throws IOException {
    if (length < 8) {
      throw new IOException(
          "not a .safetensors file: " + length + " bytes cannot hold its 8-byte header length");
    }
    long n = ByteBuffer.wrap(readFully(in, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 2 || n > length - 8) {
      throw new IOException(
          "header length "
              + Long.toUnsignedString(n)
              + " does not fit in the file's "
              + length
              + " bytes: not a .safetensors file, or a truncated one");
    }
    if (n > MAX_HEADER_BYTES) {
      throw new IOException("header of " + n + " bytes is longer than " + MAX_HEADER_BYTES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(new String(readFully(in, (int) n), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IOException("header is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IOException("header is not a JSON object");
    }
    long dataBytes = length - 8 - n;
    Map<String, Entry> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        e.getValue()
            .fields()
            .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
      } else {
        tensors.put(e.getKey(), entry(e.getKey(), e.getValue(), dataBytes));
      }
    }
    return new Header(tensors, metadata, 8 + n);
  }

  private static Entry entry(String name, JsonNode node, long dataBytes) throws IOException {
    JsonNode dtype = node.get("dtype");
    JsonNode shape = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtype == null
        || !dtype.isTextual()
        || shape == null
        || !shape.isArray()
        || offsets == null
        || !offsets.isArray()
        || offsets.size() != 2
        || !offsets.get(0).canConvertToLong()
        || !offsets.get(1).canConvertToLong()) {
      throw new IOException(
          "tensor '" + name + "' lacks a dtype, a shape or two data_offsets: " + node);
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    if (begin < 0 || end < begin || end > dataBytes) {
      throw new IOException(
          "tensor '"
              + name
              + "' lies at bytes ["
              + begin
              + ", "
              + end
              + ") of the data, past its "
              + dataBytes
              + " bytes: a truncated file or a bad header");
    }
    int[] dims = new int[shape.size()];
    long count = 1;
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = shape.get(i);
      if (!d.canConvertToInt() || d.asInt() < 0) {
        throw new IOException("tensor '" + name + "' has a bad shape " + shape);
      }
      dims[i] = d.asInt();
      try {
        count = Math.multiplyExact(count, (long) dims[i]);
      } catch (ArithmeticException overflow) {
        count = Long.MAX_VALUE;
      }
      if (count > dataBytes) {
        throw new IOException(
            "tensor '" + name + "' of shape " + shape + " is larger than the file");
      }
    }
    int width = width(dtype.asText());
    if (width > 0 && count * width != end - begin) {
      throw new IOException(
          "tensor '"
              + name
              + "' of shape "
              + shape
              + " and dtype "
              + dtype.asText()
              + " needs "
              + count * width
              + " bytes, its offsets hold "
              + (end - begin));
    }
    return new Entry(name, dtype.asText(), dims, begin, end);
  }

  /**
   * Reads the named tensors after {@link #readHeader}, in file order, as float64 arrays in C order.
   *
   * @throws IOException for a name the header lacks or a dtype other than F64, F32, F16, BF16
   */
  static Map<String, Npy.Array> readTensors(InputStream in, Header header, Set<String> names)
      throws IOException {
    List<Entry> wanted = new ArrayList<>();
    for (String name : names) {
      Entry e = header.tensors().get(name);
      if (e == null) {
        throw new IOException("the file has no tensor '" + name + "'");
      }
      if (!FLOATS.contains(e.dtype())) {
        throw new IOException(
            "tensor '"
                + name
                + "' has dtype "
                + e.dtype()
                + ": weights must be F64, F32, F16 or BF16");
      }
      wanted.add(e);
    }
    wanted.sort(Comparator.comparingLong(Entry::begin));
    Map<String, Npy.Array> arrays = new LinkedHashMap<>();
    long at = 0;
    for (Entry e : wanted) {
      try {
        if (e.begin() < at) {
          throw new IOException("tensor '" + e.name() + "' overlaps the tensor before it");
        }
        in.skipNBytes(e.begin() - at);
        byte[] raw = readFully(in, Math.toIntExact(e.end() - e.begin()));
        at = e.end();
        arrays.put(e.name(), new Npy.Array(e.shape(), decode(raw, e.dtype())));
      } catch (EOFException | ArithmeticException ex) {
        throw new IOException("the file ends inside tensor '" + e.name() + "'");
      }
    }
    return arrays;
  }

  // Bytes per value of a dtype; 0 for one this reader does not know.
  private static int width(String dtype) {
    switch (dtype) {
      case "F64":
      case "I64":
      case "U64":
        return 8;
      case "F32":
      case "I32":
      case "U32":
        return 4;
      case "F16":
      case "BF16":
      case "I16":
      case "U16":
        return 2;
      case "I8":
      case "U8":
      case "BOOL":
        return 1;
      default:
        return 0;
    }
  }

  private static double[] decode(byte[] raw, String dtype) {
    ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    double[] values = new double[raw.length / width(dtype)];
    for (int i = 0; i < values.length; i++) {
      switch (dtype) {
        case "F64":
          values[i] = buf.getDouble();
          break;
        case "F32":
          values[i] = buf.getFloat();
          break;
        case "F16":
          values[i] = halfToFloat(buf.getShort());
          break;
        default: // BF16: the upper half of a float32
          values[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
      }
    }
    return values;
  }

  /** IEEE 754 binary16 to float, exactly (subnormals, infinities and NaN included). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exp == 0) {
      // Subnormal: mantissa * 2^-24, exact in a float.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mantissa << 13));
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException("the file ends early");
    }
    return b;
  }
}
