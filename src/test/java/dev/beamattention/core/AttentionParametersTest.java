package dev.beamattention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttentionParametersTest {
  private static Map<String, Object> qkv(int dModel, int qCols, int vCols) {
    Map<String, Object> m = new HashMap<>();
    m.put("w_q", new double[dModel][qCols]);
    m.put("w_k", new double[dModel][qCols]);
    m.put("w_v", new double[dModel][vCols]);
    return m;
  }

  private static String refusal(int heads, Map<String, Object> m) {
    return assertThrows(IllegalArgumentException.class, () -> AttentionParameters.of(heads, m))
        .getMessage();
  }

  @Test
  void derivesTheSizes() {
    Map<String, Object> m = qkv(10, 15, 6);
    m.put("w_o", new double[6][4]);
    AttentionParameters w = AttentionParameters.of(3, m);
    assertEquals(10, w.dModel());
    assertEquals(5, w.dK());
    assertEquals(2, w.dV());
    assertEquals(4, w.dOut());
    assertEquals(6, AttentionParameters.of(3, qkv(10, 15, 6)).dOut());
  }

  @Test
  void namesTheMatricesThatDoNotFit() {
    Map<String, Object> rows = qkv(4, 4, 4);
    rows.put("w_k", new double[5][4]);
    assertEquals("w_k has 5 rows but w_q has 4: both need d_model rows", refusal(1, rows));

    Map<String, Object> cols = qkv(4, 4, 4);
    cols.put("w_k", new double[4][6]);
    assertEquals("w_k has 6 columns but w_q has 4: both need h * d_k columns", refusal(1, cols));

    assertEquals(
        "w_q has 4 columns, which 3 heads cannot share: need h * d_k", refusal(3, qkv(4, 4, 3)));

    Map<String, Object> wo = qkv(4, 4, 4);
    wo.put("w_o", new double[3][2]);
    assertEquals("w_o has 3 rows but w_v columns has 4: w_o needs h * d_v rows", refusal(1, wo));

    Map<String, Object> bias = qkv(4, 4, 4);
    bias.put("b_k", new double[3]);
    assertEquals("b_k has 3 values but w_k has 4 columns: they must match", refusal(1, bias));

    Map<String, Object> bo = qkv(4, 4, 4);
    bo.put("b_o", new double[4]);
    assertEquals("b_o is given without w_o: b_o goes with w_o only", refusal(1, bo));
  }

  @Test
  void refusesMissingUnknownAndNonFinite() {
    Map<String, Object> missing = qkv(2, 2, 2);
    missing.remove("w_v");
    assertEquals("weights lack w_v, which is required", refusal(1, missing));

    Map<String, Object> unknown = qkv(2, 2, 2);
    unknown.put("w_0", new double[2][2]);
    assertEquals(
        "unknown weight 'w_0': expected some of w_q, w_k, w_v, w_o, b_q, b_k, b_v, b_o",
        refusal(1, unknown));

    Map<String, Object> nan = qkv(2, 2, 2);
    ((double[][]) nan.get("w_v"))[1][0] = Double.POSITIVE_INFINITY;
    assertThrows(NonFiniteException.class, () -> AttentionParameters.of(1, nan));
  }

  @Test
  void isACopyOfItsInput() {
    Map<String, Object> m = qkv(2, 2, 2);
    AttentionParameters w = AttentionParameters.of(1, m);
    ((double[][]) m.get("w_q"))[0][0] = 9;
    assertEquals(0.0, w.wQ().getEntry(0, 0));
    w.wQ().setEntry(0, 0, 9);
    assertEquals(0.0, w.wQ().getEntry(0, 0));
  }
}
