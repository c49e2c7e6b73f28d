package dev.beamattention.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.junit.jupiter.api.Test;

/** The count of sentences sharing an id, whatever way the runner splits and merges. */
class DuplicatesFnTest {
  @Test
  void countsEveryExtraSightingInAnyMergeOrder() {
    CombineFnTester.testCombineFn(
        new WriteOutputs.DuplicatesFn(),
        new ArrayList<>(List.of("a", "b", "a", "c", "a", "b", "d")),
        3L);
    CombineFnTester.testCombineFn(
        new WriteOutputs.DuplicatesFn(), new ArrayList<>(List.of("x", "y")), 0L);
  }

  @Test
  void anAccumulatorCrossesTheWireWhole() throws Exception {
    WriteOutputs.DuplicatesFn fn = new WriteOutputs.DuplicatesFn();
    WriteOutputs.DuplicatesFn.Seen seen = fn.createAccumulator();
    for (String id : List.of("a", "b", "a", "caf\u00e9")) {
      fn.addInput(seen, id);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new WriteOutputs.SeenCoder().encode(seen, bytes);
    WriteOutputs.DuplicatesFn.Seen back =
        new WriteOutputs.SeenCoder().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(1, back.extra);
    assertEquals(Set.of("a", "b", "caf\u00e9"), back.ids);
  }
}
