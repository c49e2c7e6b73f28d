package dev.beamattention.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * How big ReadSentences cuts a file's initial ranges: small enough that random placement evens out.
 */
class RangeBytesTest {
  private static final long MB = 1L << 20;

  @Test
  void aTenMegabyteFileBecomesTenRangesOfOneMegabyte() {
    assertEquals(MB, ReadSentences.rangeBytes(10 * MB, ReadSentences.RANGE_BYTES));
  }

  @Test
  void aMidSizedFileBecomesSixteenRanges() {
    assertEquals(10 * MB, ReadSentences.rangeBytes(160 * MB, ReadSentences.RANGE_BYTES));
  }

  @Test
  void aLargeFileKeepsRangesOfAtMostSixtyFourMegabytes() {
    assertEquals(64 * MB, ReadSentences.rangeBytes(2048 * MB, ReadSentences.RANGE_BYTES));
  }

  @Test
  void aSmallFileIsOneRange() {
    assertEquals(MB, ReadSentences.rangeBytes(300_000, ReadSentences.RANGE_BYTES));
  }

  @Test
  void testsMayAskForSmallerRanges() {
    assertEquals(97, ReadSentences.rangeBytes(10 * MB, 97));
  }
}
