package dev.beamattention.core;

import static dev.beamattention.core.Tolerances.PRINTED;
import static dev.beamattention.core.Tolerances.assertMatrixEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.junit.jupiter.api.Test;

/** The tutorial's printed 3-word example, src/test/resources/worked-example.json. */
class WorkedExampleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode example() throws IOException {
    try (InputStream in = WorkedExampleTest.class.getResourceAsStream("/worked-example.json")) {
      return JSON.readTree(in);
    }
  }

  static double[][] rows(JsonNode node) {
    return JSON.convertValue(node, double[][].class);
  }

  @Test
  void reproducesThePrintedWeightsAndOutputWithScaleNone() throws IOException {
    JsonNode ex = example();
    AttentionParameters w =
        AttentionParameters.of(
            1,
            Map.of(
                "w_q",
                rows(ex.get("w_q")),
                "w_k",
                rows(ex.get("w_k")),
                "w_v",
                rows(ex.get("w_v"))));
    AttentionResult result =
        new MultiHeadAttention(w, Scale.none(), false)
            .apply(new Array2DRowRealMatrix(rows(ex.get("x"))));

    JsonNode printed = ex.get("printed");
    assertMatrixEquals(
        rows(printed.get("attention_weights")), result.weights(0), PRINTED, "weights");
    assertMatrixEquals(rows(printed.get("output")), result.output(), PRINTED, "output");
  }
}
