package dev.beamattention.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScaleTest {
  @Test
  void parsesTheThreeForms() {
    assertEquals(0.5, Scale.parse("auto").factorFor(4), 0.0);
    assertEquals(1.0, Scale.parse("none").factorFor(4), 0.0);
    assertEquals(0.3, Scale.parse("0.3").factorFor(4), 0.0);
  }

  @Test
  void refusesWhatIsNotAPositiveNumber() {
    for (String bad : new String[] {"0", "-1", "NaN", "Infinity", "big", ""}) {
      assertThrows(IllegalArgumentException.class, () -> Scale.parse(bad), bad);
    }
    assertEquals(
        "scale must be auto, none or a positive number, got 'big'",
        assertThrows(IllegalArgumentException.class, () -> Scale.parse("big")).getMessage());
  }
}
