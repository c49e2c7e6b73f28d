package dev.beamattention.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.json.SentenceParser;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.Sentence;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader without a runner: wherever a runner cuts a range (at any claim, at any fraction), the
 * primary and the residuals together read every line exactly once.
 */
class ReadLinesFnTest {
  private static final LineHandler LINES =
      ParseSentences.create().withExpectedWidth(1).withMaxLineBytes(200).lineHandler();

  @TempDir Path dir;

  /** Collects the ids of sentences and the inputs of failures. */
  private static final class Collect implements DoFn.MultiOutputReceiver {
    final List<String> seen = new ArrayList<>();

    @Override
    @SuppressWarnings("unchecked")
    public <T> DoFn.OutputReceiver<T> get(TupleTag<T> tag) {
      return new DoFn.OutputReceiver<T>() {
        @Override
        public void output(T value) {
          seen.add(
              value instanceof Sentence
                  ? ((Sentence) value).id()
                  : "error:" + ((ErrorRecord) value).reason().split(":")[0]);
        }

        @Override
        public void outputWithTimestamp(T value, Instant timestamp) {
          output(value);
        }
      };
    }

    @Override
    public <T> DoFn.OutputReceiver<Row> getRowReceiver(TupleTag<T> tag) {
      throw new UnsupportedOperationException();
    }
  }

  /** Asks for a split at the given claim, as a runner's checkpoint or dynamic split would. */
  private static final class SplitAt extends RestrictionTracker<OffsetRange, Long> {
    final OffsetRangeTracker inner;
    final int atClaim;
    final double fraction;
    int claims;
    OffsetRange residual;

    SplitAt(OffsetRange range, int atClaim, double fraction, long ahead) {
      this.inner = new LineRangeTracker(range, ahead);
      this.atClaim = atClaim;
      this.fraction = fraction;
    }

    @Override
    public boolean tryClaim(Long position) {
      boolean claimed = inner.tryClaim(position);
      if (claimed && ++claims == atClaim) {
        SplitResult<OffsetRange> split = inner.trySplit(fraction);
        residual = split == null ? null : split.getResidual();
      }
      return claimed;
    }

    @Override
    public OffsetRange currentRestriction() {
      return inner.currentRestriction();
    }

    @Override
    public SplitResult<OffsetRange> trySplit(double f) {
      return inner.trySplit(f);
    }

    @Override
    public void checkDone() {
      inner.checkDone();
    }

    @Override
    public IsBounded isBounded() {
      return IsBounded.BOUNDED;
    }
  }

  private List<String> fileLines() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      if (i % 9 == 4) {
        lines.add("");
      } else if (i % 13 == 6) {
        lines.add("{\"id\":\"long" + i + "\",\"x\":\"" + "y".repeat(300) + "\"}");
      } else {
        lines.add("{\"id\":\"s" + i + "\",\"tokens\":[\"t\"],\"embeddings\":[[" + i + "]]}");
      }
    }
    return lines;
  }

  private static Map<String, Integer> counts(List<String> ids) {
    Map<String, Integer> counts = new TreeMap<>();
    ids.forEach(id -> counts.merge(id, 1, Integer::sum));
    return counts;
  }

  // Reads [from, to), splitting at the given claim; then reads what was cut off the same way.
  private static void read(
      ReadLinesFn fn,
      String file,
      OffsetRange range,
      int atClaim,
      double fraction,
      long ahead,
      Collect out)
      throws IOException {
    SplitAt tracker = new SplitAt(range, atClaim, fraction, ahead);
    // The DoFn counts lines; outside a runner its counters need a container of their own.
    try (Closeable metrics =
        MetricsEnvironment.scopedMetricsContainer(new MetricsContainerImpl("ReadLines"))) {
      fn.process(KV.of(KV.of(file, false), range), tracker, out);
    }
    tracker.checkDone();
    if (tracker.residual != null) {
      read(fn, file, tracker.residual, atClaim, fraction, ahead, out);
    }
  }

  // The word-at-a-time search against a byte-by-byte one: every window of arrays with newlines
  // here and there, and bytes that differ from '\n' in one bit or carry a borrow (0x0B, 0x09,
  // 0x8A, 0x00, 0xFF).
  @Test
  void newlineAsByteByByte() {
    java.util.Random random = new java.util.Random(20261203L);
    byte[] others = {'a', '{', 0x0B, 0x09, (byte) 0x8A, 0, (byte) 0xFF, '\r'};
    int checked = 0;
    for (int round = 0; round < 300; round++) {
      byte[] bytes = new byte[1 + random.nextInt(40)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = random.nextInt(12) == 0 ? (byte) '\n' : others[random.nextInt(others.length)];
      }
      for (int from = 0; from <= bytes.length; from++) {
        for (int to = from; to <= bytes.length; to++) {
          int expected = -1;
          for (int i = from; i < to && expected < 0; i++) {
            expected = bytes[i] == '\n' ? i : -1;
          }
          assertEquals(expected, ReadLinesFn.newline(bytes, from, to));
          checked++;
        }
      }
    }
    assertTrue(checked > 10_000, "windows checked: " + checked);
  }

  @Test
  void everyLineOnceWhereverTheRunnerSplits() throws IOException {
    List<String> lines = fileLines();
    Path file = dir.resolve("in.jsonl");
    Files.write(file, (String.join("\r\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    long size = Files.size(file);

    Collect whole = new Collect();
    ReadLinesFn fn = new ReadLinesFn(LINES, 1 << 20);
    read(fn, file.toString(), new OffsetRange(0, size), Integer.MAX_VALUE, 0, 1, whole);
    assertEquals(36, whole.seen.size(), "fixture: 36 non-blank lines");
    assertEquals(3, whole.seen.stream().filter(s -> s.startsWith("error:line has")).count());
    Map<String, Integer> expected = counts(whole.seen);

    for (long rangeBytes : new long[] {1, 37, 200, size}) {
      for (int atClaim : new int[] {1, 2, 5}) {
        for (double fraction : new double[] {0, 0.1, 0.5, 0.9}) {
          // A checkpoint (fraction 0) cuts right after the last claim, or further on: at every
          // offset up to 64 bytes on (line starts among them), or past the end.
          for (long ahead = 1; ahead <= (fraction == 0 ? 65 : 1); ahead++) {
            Collect out = new Collect();
            for (long from = 0; from < size; from += rangeBytes) {
              read(
                  fn,
                  file.toString(),
                  new OffsetRange(from, Math.min(size, from + rangeBytes)),
                  atClaim,
                  fraction,
                  ahead == 65 ? size : ahead,
                  out);
            }
            assertEquals(
                expected,
                counts(out.seen),
                "ranges of "
                    + rangeBytes
                    + ", split at claim "
                    + atClaim
                    + " at "
                    + fraction
                    + ", "
                    + ahead
                    + " bytes ahead");
          }
        }
      }
    }
  }

  @Test
  void aFileThatCannotSeekIsReadWholeFromOnePiece() throws IOException {
    Path file = dir.resolve("plain.jsonl");
    Files.write(file, String.join("\n", fileLines()).getBytes(StandardCharsets.UTF_8));
    ResourceId id = org.apache.beam.sdk.io.FileSystems.matchNewResource(file.toString(), false);
    MatchResult.Metadata metadata =
        MatchResult.Metadata.builder()
            .setResourceId(id)
            .setSizeBytes(Files.size(file))
            .setIsReadSeekEfficient(false)
            .setLastModifiedMillis(0)
            .build();
    List<KV<KV<String, Boolean>, OffsetRange>> pieces = new ArrayList<>();
    new ReadSentences.SplitFn(10, ReadSentences.PIECES_PER_FILE)
        .process(
            metadata,
            new DoFn.OutputReceiver<KV<KV<String, Boolean>, OffsetRange>>() {
              @Override
              public void output(KV<KV<String, Boolean>, OffsetRange> piece) {
                pieces.add(piece);
              }

              @Override
              public void outputWithTimestamp(
                  KV<KV<String, Boolean>, OffsetRange> piece, Instant t) {
                pieces.add(piece);
              }
            });
    assertEquals(List.of(KV.of(KV.of(file.toString(), true), new OffsetRange(0, 1))), pieces);
    Collect out = new Collect();
    OffsetRangeTracker tracker = new OffsetRangeTracker(pieces.get(0).getValue());
    new ReadLinesFn(LINES, 10).process(pieces.get(0), tracker, out);
    tracker.checkDone();
    assertEquals(36, out.seen.size());
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheFirstLine() throws IOException {
    Path file = dir.resolve("bom.jsonl");
    String line = "{\"tokens\":[\"t\"],\"embeddings\":[[1]]}";
    byte[] text = (line + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[text.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(text, 0, withBom, 3, text.length);
    Files.write(file, withBom);
    Collect out = new Collect();
    OffsetRangeTracker tracker = new OffsetRangeTracker(new OffsetRange(0, withBom.length));
    new ReadLinesFn(LINES, 1 << 20)
        .process(KV.of(KV.of(file.toString(), false), tracker.currentRestriction()), tracker, out);
    tracker.checkDone();
    assertEquals(List.of(SentenceParser.derivedId(line)), out.seen);
  }
}
