package dev.beamattention.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.core.AttentionParameters;
import dev.beamattention.core.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The .safetensors reader on files built byte by byte: what it reads, and what it refuses. */
class SafetensorsTest {
  // A file of a JSON header and little-endian data, as the format lays them out.
  private static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return b.array();
  }

  private static byte[] doubles(double... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  private static AttentionParameters read(byte[] bytes, WeightsLayout layout, int heads)
      throws IOException {
    return layout.read(new ByteArrayInputStream(bytes), bytes.length, "", heads);
  }

  private static String refusal(byte[] bytes, WeightsLayout layout, int heads) {
    Exception e = assertThrows(Exception.class, () -> read(bytes, layout, heads));
    return e.getMessage();
  }

  // w_q, w_k, w_v: 1 x 2 each, F64, then an I64 tensor that is not read.
  private static final String PLAIN =
      "{\"w_q\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16]},"
          + "\"w_k\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[16,32]},"
          + "\"w_v\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[32,48]},"
          + "\"__metadata__\":{\"heads\":\"2\"}}";

  @Test
  void readsPlainNamesWithHeadsFromTheMetadata() throws IOException {
    byte[] bytes = file(PLAIN, doubles(1, 2, 3, 4, 5, 6));
    AttentionParameters p = read(bytes, WeightsLayout.PLAIN, 0);
    assertEquals(2, p.heads());
    assertArrayEquals(new double[] {1, 2}, p.wQ().getRow(0));
    assertArrayEquals(new double[] {5, 6}, p.wV().getRow(0));
  }

  @Test
  void refusesWhatDoesNotFitTheFile() {
    byte[] good = file(PLAIN, doubles(1, 2, 3, 4, 5, 6));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertTrue(
        refusal(truncated, WeightsLayout.PLAIN, 2).contains("tensor 'w_v' lies at bytes [32, 48)"),
        refusal(truncated, WeightsLayout.PLAIN, 2));
    String past = PLAIN.replace("[32,48]", "[32,4800000000]");
    assertTrue(
        refusal(file(past, doubles(1, 2, 3, 4, 5, 6)), WeightsLayout.PLAIN, 2)
            .contains("past its 48 bytes"));
    byte[] hugeHeader = file(PLAIN, doubles(1, 2, 3, 4, 5, 6));
    ByteBuffer.wrap(hugeHeader).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
    assertTrue(
        refusal(hugeHeader, WeightsLayout.PLAIN, 2).contains("does not fit in the file's"),
        refusal(hugeHeader, WeightsLayout.PLAIN, 2));
    assertTrue(
        refusal(new byte[] {1, 2, 3}, WeightsLayout.PLAIN, 2).contains("not a .safetensors"));
    String wrongSize =
        PLAIN.replace(
            "\"shape\":[1,2],\"data_offsets\":[0,16]", "\"shape\":[3,2],\"data_offsets\":[0,16]");
    assertTrue(
        refusal(file(wrongSize, doubles(1, 2, 3, 4, 5, 6)), WeightsLayout.PLAIN, 2)
            .contains("needs 48 bytes, its offsets hold 16"));
    assertTrue(
        refusal(file("[1, 2]", new byte[0]), WeightsLayout.PLAIN, 2).contains("not a JSON object"));
    assertTrue(
        refusal(file("{\"w_q\": ", new byte[0]), WeightsLayout.PLAIN, 2)
            .contains("header is not JSON"));
  }

  @Test
  void refusesATensorLargerThanTheLimitBeforeReadingIt() {
    // 2^27 F16 values (256 MiB) claimed in a header whose file is that long only on paper: the
    // header's check passes for a long enough file, so the limit speaks first.
    long values = 2 * Limits.MAX_WEIGHT_VALUES;
    String header =
        "{\"w_q\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[0,1]},"
            + "\"w_k\":{\"dtype\":\"F16\",\"shape\":[1,"
            + values
            + "],\"data_offsets\":[0,"
            + 2 * values
            + "]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    byte[] start = file(header, new byte[16]);
    long length = 8 + h.length + 2 * values;
    Exception e =
        assertThrows(
            IOException.class,
            () -> WeightsLayout.PLAIN.read(new ByteArrayInputStream(start), length, "", 1));
    assertTrue(e.getMessage().contains("tensor 'w_k' holds 134217728 values"), e.getMessage());
  }

  @Test
  void refusesMissingTensorsBadDtypesAndUnknownHeads() {
    String ints = PLAIN.replace("\"w_v\":{\"dtype\":\"F64\"", "\"w_v\":{\"dtype\":\"I64\"");
    assertEquals(
        "tensor 'w_v' has dtype I64: weights must be F64, F32, F16 or BF16",
        refusal(file(ints, doubles(1, 2, 3, 4, 5, 6)), WeightsLayout.PLAIN, 2));
    assertTrue(
        refusal(file(PLAIN, doubles(1, 2, 3, 4, 5, 6)), WeightsLayout.GPT2, 2)
            .startsWith("the file has no tensor 'attn.c_attn.weight' (--weightsLayout=gpt2)"));
    String noHeads = PLAIN.replace(",\"__metadata__\":{\"heads\":\"2\"}", "");
    assertTrue(
        refusal(file(noHeads, doubles(1, 2, 3, 4, 5, 6)), WeightsLayout.PLAIN, 0)
            .endsWith("give --heads"));
    assertTrue(
        refusal(file(PLAIN, doubles(1, 2, 3, 4, 5, 6)), WeightsLayout.PLAIN, 1)
            .contains("give --heads=2"));
  }

  @Test
  void halfAndBfloat16BecomeTheirExactValues() throws IOException {
    assertEquals(1.0f, Safetensors.halfToFloat((short) 0x3c00));
    assertEquals(-2.0f, Safetensors.halfToFloat((short) 0xc000));
    assertEquals(65504f, Safetensors.halfToFloat((short) 0x7bff));
    assertEquals(0x1p-24f, Safetensors.halfToFloat((short) 0x0001));
    assertEquals(0x3ffp-24f, Safetensors.halfToFloat((short) 0x03ff));
    assertEquals(0x1p-14f, Safetensors.halfToFloat((short) 0x0400));
    assertEquals(Float.NEGATIVE_INFINITY, Safetensors.halfToFloat((short) 0xfc00));
    assertTrue(Float.isNaN(Safetensors.halfToFloat((short) 0x7e00)));
    assertEquals(-0.0f, Safetensors.halfToFloat((short) 0x8000));
    assertEquals(
        Float.floatToIntBits(-0.0f), Float.floatToIntBits(Safetensors.halfToFloat((short) 0x8000)));

    // w_q as F16 [1.0, -2.0], w_k as BF16 [1.0, 0.5], w_v as F32 [0.25, 3.0]
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 0x3c00).putShort((short) 0xc000);
    b.putShort((short) 0x3f80).putShort((short) 0x3f00);
    b.putFloat(0.25f).putFloat(3.0f);
    data.write(b.array(), 0, 16);
    String header =
        "{\"w_q\":{\"dtype\":\"F16\",\"shape\":[1,2],\"data_offsets\":[0,4]},"
            + "\"w_k\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[4,8]},"
            + "\"w_v\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[8,16]}}";
    AttentionParameters p = read(file(header, data.toByteArray()), WeightsLayout.PLAIN, 1);
    assertArrayEquals(new double[] {1.0, -2.0}, p.wQ().getRow(0));
    assertArrayEquals(new double[] {1.0, 0.5}, p.wK().getRow(0));
    assertArrayEquals(new double[] {0.25, 3.0}, p.wV().getRow(0));
  }
}
