package dev.beamattention.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * How big ReadSentences cuts a file's initial ranges: small enough that random placement evens out.
 */
class RangeBytesTest {
  private static final long MB = 1L << 20;
  private static final long SIXTEEN = ReadSentences.PIECES_PER_FILE;

  @Test
  void aTenMegabyteFileBecomesTenRangesOfOneMegabyte() {
    assertEquals(MB, ReadSentences.rangeBytes(10 * MB, ReadSentences.RANGE_BYTES, SIXTEEN));
  }

  @Test
  void aMidSizedFileBecomesSixteenRanges() {
    assertEquals(10 * MB, ReadSentences.rangeBytes(160 * MB, ReadSentences.RANGE_BYTES, SIXTEEN));
  }

  @Test
  void aLargeFileKeepsRangesOfAtMostSixtyFourMegabytes() {
    assertEquals(64 * MB, ReadSentences.rangeBytes(2048 * MB, ReadSentences.RANGE_BYTES, SIXTEEN));
  }

  @Test
  void aSmallFileIsOneRange() {
    assertEquals(MB, ReadSentences.rangeBytes(300_000, ReadSentences.RANGE_BYTES, SIXTEEN));
  }

  @Test
  void testsMayAskForSmallerRanges() {
    assertEquals(97, ReadSentences.rangeBytes(10 * MB, 97, SIXTEEN));
  }

  @Test
  void aGivenNumberOfRangesHasNoUpperBound() {
    assertEquals(1024 * MB, ReadSentences.rangeBytes(2048 * MB, Long.MAX_VALUE, 2));
  }

  @Test
  void rangesAreRoundedUpSoTheirNumberIsNotExceeded() {
    // 3 ranges of 10 MB + 1 byte: rounding down would leave a fourth range of 1 byte.
    assertEquals(10 * MB + 1, ReadSentences.rangeBytes(30 * MB + 1, Long.MAX_VALUE, 3));
  }

  @Test
  void aGivenNumberOfRangesStillKeepsOneMegabyteEach() {
    assertEquals(MB, ReadSentences.rangeBytes(3 * MB, Long.MAX_VALUE, 8));
  }

  @Test
  void splitFnCutsAPlainFileIntoTheGivenNumberOfRangesThatCoverIt() {
    long size = 30 * MB + 1;
    List<OffsetRange> ranges = split(size, new ReadSentences.SplitFn(Long.MAX_VALUE, 3));
    assertEquals(3, ranges.size(), ranges.toString());
    assertEquals(0, ranges.get(0).getFrom());
    for (int i = 1; i < ranges.size(); i++) {
      assertEquals(ranges.get(i - 1).getTo(), ranges.get(i).getFrom(), "no gap, no overlap");
    }
    assertEquals(size, ranges.get(ranges.size() - 1).getTo());
  }

  @Test
  void splitFnByDefaultCutsALargeFileIntoRangesOfAtMostSixtyFourMegabytes() {
    List<OffsetRange> ranges =
        split(2048 * MB, new ReadSentences.SplitFn(ReadSentences.RANGE_BYTES, SIXTEEN));
    assertEquals(32, ranges.size());
  }

  private static List<OffsetRange> split(long size, ReadSentences.SplitFn fn) {
    MatchResult.Metadata file =
        MatchResult.Metadata.builder()
            .setResourceId(
                org.apache.beam.sdk.io.FileSystems.matchNewResource("/data/in.jsonl", false))
            .setSizeBytes(size)
            .setIsReadSeekEfficient(true)
            .setLastModifiedMillis(0)
            .build();
    List<OffsetRange> ranges = new ArrayList<>();
    fn.process(
        file,
        new DoFn.OutputReceiver<KV<KV<String, Boolean>, OffsetRange>>() {
          @Override
          public void output(KV<KV<String, Boolean>, OffsetRange> piece) {
            ranges.add(piece.getValue());
          }

          @Override
          public void outputWithTimestamp(KV<KV<String, Boolean>, OffsetRange> piece, Instant t) {
            ranges.add(piece.getValue());
          }
        });
    return ranges;
  }
}
