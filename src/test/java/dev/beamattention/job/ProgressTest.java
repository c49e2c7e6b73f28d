package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void saysTheShareReadAndTheTimeLeftWhenTheInputsSizeIsKnown() {
    assertEquals(
        "beam-attention: 1,000 sentences read, 900 written, 100/s, 25% of the input,"
            + " about 30 s left",
        Progress.line(10, 1000, 900, 250, OptionalLong.of(1000)));
  }

  @Test
  void saysOnlyTheCountsAndTheRateForCompressedInput() {
    assertEquals(
        "beam-attention: 50 sentences read, 0 written, 25/s",
        Progress.line(2, 50, 0, 4096, OptionalLong.empty()));
  }

  @Test
  void neverPromisesMoreThanTheWholeInput() {
    assertEquals(
        "beam-attention: 10 sentences read, 10 written, 10/s, 100% of the input",
        Progress.line(1, 10, 10, 2000, OptionalLong.of(1000)));
  }
}
