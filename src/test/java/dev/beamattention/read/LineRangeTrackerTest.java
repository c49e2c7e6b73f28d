package dev.beamattention.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.junit.jupiter.api.Test;

/** Checkpoints cut {@code ahead} bytes past the last claim; every other split is Beam's. */
class LineRangeTrackerTest {
  private static final OffsetRange RANGE = new OffsetRange(100, 1100);

  @Test
  void aCheckpointLeavesTheReaderAheadBytesMore() {
    LineRangeTracker tracker = new LineRangeTracker(RANGE, 200);
    assertTrue(tracker.tryClaim(150L));
    SplitResult<OffsetRange> split = tracker.trySplit(0);
    assertEquals(new OffsetRange(100, 350), split.getPrimary());
    assertEquals(new OffsetRange(350, 1100), split.getResidual());
    assertEquals(new OffsetRange(100, 350), tracker.currentRestriction());
    assertTrue(tracker.tryClaim(349L), "a line that starts in the bytes ahead is still read");
    assertFalse(tracker.tryClaim(350L), "the first line of the residual is not");
    tracker.checkDone();
  }

  @Test
  void aCheckpointNearTheEndLeavesTheRangeWhole() {
    LineRangeTracker tracker = new LineRangeTracker(RANGE, 200);
    assertTrue(tracker.tryClaim(900L));
    assertNull(tracker.trySplit(0));
    assertEquals(RANGE, tracker.currentRestriction());
  }

  @Test
  void noOverflowNearTheLargestOffset() {
    OffsetRange huge = new OffsetRange(0, Long.MAX_VALUE);
    LineRangeTracker tracker = new LineRangeTracker(huge, 1L << 20);
    assertTrue(tracker.tryClaim(Long.MAX_VALUE - 10));
    assertNull(tracker.trySplit(0));
    assertEquals(huge, tracker.currentRestriction());
  }

  @Test
  void otherSplitsAndCheckpointsBeforeAnyClaimAreOffsetRangeTrackers() {
    for (double fraction : new double[] {0, 0.25, 0.5}) {
      for (boolean claimed : new boolean[] {false, true}) {
        LineRangeTracker ours = new LineRangeTracker(RANGE, 200);
        OffsetRangeTracker beams = new OffsetRangeTracker(RANGE);
        if (claimed) {
          if (fraction == 0) {
            continue; // the case above
          }
          assertTrue(ours.tryClaim(150L));
          assertTrue(beams.tryClaim(150L));
        }
        assertEquals(beams.trySplit(fraction), ours.trySplit(fraction), "at " + fraction);
        assertEquals(beams.currentRestriction(), ours.currentRestriction());
      }
    }
  }

  @Test
  void aheadBelowOneByteIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new LineRangeTracker(RANGE, 0));
  }

  @Test
  void theReaderUsesIt() {
    assertTrue(
        new ReadLinesFn(null, 1 << 20).newTracker(RANGE) instanceof LineRangeTracker,
        "ReadLinesFn's tracker");
  }
}
