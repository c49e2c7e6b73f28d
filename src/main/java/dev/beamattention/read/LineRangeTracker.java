package dev.beamattention.read;

import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The byte-range tracker of {@link ReadLinesFn}: an {@link OffsetRangeTracker} whose checkpoints
 * leave the reader {@code ahead} more bytes of lines to read before it stops.
 *
 * <p>Why: the DirectRunner asks a splittable DoFn for a checkpoint after every 100 outputs, and
 * each checkpoint ends a bundle that every later step then handles as a bundle of its own; each
 * costs the runner a few milliseconds of bookkeeping (it translates the step to its protocol-buffer
 * form and back for every bundle). With lines of 100 KB, that was a bundle per 10 MB of input. Here
 * a checkpoint (a split with fraction 0) cuts the range {@code ahead} bytes past the last offset
 * tried instead of right after it, so a bundle holds about {@code ahead} more bytes of input. Other
 * splits, which a runner uses to share out work, are OffsetRangeTracker's own.
 *
 * <p>The reader's contract is unchanged: it claims each line's first byte, and a line belongs to
 * the range its first byte lies in.
 */
final class LineRangeTracker extends OffsetRangeTracker {
  private final long ahead;

  LineRangeTracker(OffsetRange range, long ahead) {
    super(range);
    if (ahead < 1) {
      throw new IllegalArgumentException("ahead must be at least 1 byte: " + ahead);
    }
    this.ahead = ahead;
  }

  @Override
  public @Nullable SplitResult<OffsetRange> trySplit(double fractionOfRemainder) {
    Long last = lastAttemptedOffset;
    if (fractionOfRemainder != 0 || last == null) {
      return super.trySplit(fractionOfRemainder);
    }
    long to = range.getTo();
    // Past the last offset tried, and at most the end (no overflow near Long.MAX_VALUE).
    long splitAt = last >= to - ahead ? to : last + ahead;
    if (splitAt >= to) {
      return null;
    }
    OffsetRange primary = new OffsetRange(range.getFrom(), splitAt);
    OffsetRange residual = new OffsetRange(splitAt, to);
    range = primary;
    return SplitResult.of(primary, residual);
  }
}
