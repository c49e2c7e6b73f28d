package dev.beamattention.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.core.AttentionParameters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The .npy reader and writer against files NumPy wrote (src/test/resources/npy-reference). */
class NpyTest {
  private static byte[] resource(String name) throws IOException {
    try (InputStream in = NpyTest.class.getResourceAsStream("/npy-reference/" + name)) {
      return in.readAllBytes();
    }
  }

  private static byte[] written(Npy.Array array) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, array);
    return out.toByteArray();
  }

  @Test
  void writesWhatNumPyWritesByteForByte() throws IOException {
    double[] matrix = new double[6];
    for (int i = 0; i < 6; i++) {
      matrix[i] = i / 7.0;
    }
    assertArrayEquals(resource("matrix.npy"), written(new Npy.Array(new int[] {2, 3}, matrix)));
    double[] vector = {0.5, -0.0, 1e308, 5e-324, -2.25};
    assertArrayEquals(resource("vector.npy"), written(new Npy.Array(new int[] {5}, vector)));
  }

  @Test
  void readsFortranOrderIntoCOrder() throws IOException {
    Npy.Array a = Npy.read(new ByteArrayInputStream(resource("fortran.npy")));
    assertArrayEquals(new int[] {3, 4}, a.shape());
    for (int i = 0; i < 12; i++) {
      assertEquals(i, a.data()[i], 0.0);
    }
  }

  @Test
  void readsBigEndianFloat32() throws IOException {
    Npy.Array a = Npy.read(new ByteArrayInputStream(resource("float32_be.npy")));
    assertArrayEquals(new int[] {2, 2}, a.shape());
    assertArrayEquals(new double[] {1.5, -2.0, 3.25, (double) 1e-3f}, a.data(), 0.0);
  }

  @Test
  void npzRoundTripIsBitExact() throws IOException {
    AttentionParameters w = RandomWeights.xavier(6, 2, 0, 0, 5);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WeightsFiles.writeNpz(w, out);
    AttentionParameters back =
        WeightsFiles.read(new ByteArrayInputStream(out.toByteArray()), "weights.npz", 2);
    Map<String, Object> before = w.asMap();
    Map<String, Object> after = back.asMap();
    assertEquals(before.keySet(), after.keySet());
    for (String name : before.keySet()) {
      assertTrue(
          java.util.Arrays.deepEquals(
              new Object[] {before.get(name)}, new Object[] {after.get(name)}),
          name);
    }
  }

  @Test
  void readsJsonWeights() throws IOException {
    String json = "{\"w_q\": [[1, 2]], \"w_k\": [[3, 4]], \"w_v\": [[5, 6]], \"b_v\": [0.5, 1]}";
    AttentionParameters w =
        WeightsFiles.read(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "w.json", 2);
    assertEquals(1, w.dModel());
    assertEquals(1, w.dK());
    assertEquals(4.0, w.wK().getEntry(0, 1), 0.0);
  }

  @Test
  void saysWhatIsWrongWithABadFile() {
    IOException notZip =
        assertThrows(
            IOException.class,
            () -> WeightsFiles.read(new ByteArrayInputStream(new byte[] {1, 2, 3}), "w.npz", 1));
    assertEquals("not an .npz archive, or an empty one", notZip.getMessage());
    IOException format =
        assertThrows(
            IOException.class,
            () -> WeightsFiles.read(new ByteArrayInputStream(new byte[0]), "w.txt", 1));
    assertEquals("weights must be a .npz or .json file, got w.txt", format.getMessage());
    IOException text =
        assertThrows(
            IOException.class,
            () ->
                WeightsFiles.read(
                    new ByteArrayInputStream(
                        "{\"w_q\": [[\"a\"]]}".getBytes(StandardCharsets.UTF_8)),
                    "w.json",
                    1));
    assertEquals("w_q row 0 value 0 is not a number: \"a\"", text.getMessage());
  }
}
