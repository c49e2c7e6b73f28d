package dev.beamattention.core;

import static dev.beamattention.core.Tolerances.GOLDEN;
import static dev.beamattention.core.Tolerances.assertMatrixEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.weights.Npy;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases made by src/test/python/make_golden.py with a plain NumPy reference (and checked against
 * torch.nn.MultiheadAttention by check_torch.py): the .npz files are also the reader's test data,
 * written by np.savez and np.savez_compressed, float32 and float64, C and Fortran order.
 */
class GoldenCasesTest {
  static Stream<Arguments> cases() throws IOException {
    JsonNode list;
    try (InputStream in = GoldenCasesTest.class.getResourceAsStream("/golden/cases.json")) {
      list = new ObjectMapper().readTree(in);
    }
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : list) {
      cases.add(
          Arguments.of(
              c.get("name").asText(),
              c.get("heads").asInt(),
              c.get("scale").asText(),
              c.get("causal").asBoolean()));
    }
    assertFalse(cases.isEmpty(), "no golden cases found");
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesNumPy(String name, int heads, String scale, boolean causal) throws IOException {
    Map<String, Npy.Array> arrays;
    try (InputStream in = getClass().getResourceAsStream("/golden/" + name + ".npz")) {
      arrays = Npy.readNpz(in);
    }
    Map<String, Object> weights = new LinkedHashMap<>();
    for (Map.Entry<String, Npy.Array> e : arrays.entrySet()) {
      if (AttentionParameters.NAMES.contains(e.getKey())) {
        weights.put(e.getKey(), e.getValue().toVectorOrRows(e.getKey()));
      }
    }
    double[][] x = (double[][]) arrays.get("x").toVectorOrRows("x");
    AttentionResult result =
        new MultiHeadAttention(AttentionParameters.of(heads, weights), Scale.parse(scale), causal)
            .apply(new Array2DRowRealMatrix(x, false));

    double[][] expectedOutput = (double[][]) arrays.get("expected_output").toVectorOrRows("out");
    assertMatrixEquals(expectedOutput, result.output(), GOLDEN, name + " output");
    Npy.Array attention = arrays.get("expected_attention");
    int[] shape = attention.shape();
    assertEquals(heads, shape[0], name + ": heads in expected_attention");
    for (int i = 0; i < heads; i++) {
      double[][] head = new double[shape[1]][shape[2]];
      for (int r = 0; r < shape[1]; r++) {
        System.arraycopy(attention.data(), (i * shape[1] + r) * shape[2], head[r], 0, shape[2]);
      }
      assertMatrixEquals(head, result.weights(i), GOLDEN, name + " head " + i);
    }
  }
}
