package dev.beamattention.read;

import dev.beamattention.files.InputFiles;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.ErrorRecordCoder;
import dev.beamattention.record.PendingSentence;
import dev.beamattention.record.Sentence;
import dev.beamattention.record.SentenceCoder;
import java.io.Serializable;
import java.util.Optional;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Reads the JSON Lines files a glob matches and parses them, as {@link ParseSentences} does, into
 * {@link ParseSentences#SENTENCES}, {@link ParseSentences#PENDING} and {@link Failures#TAG}; error
 * records name their file.
 *
 * <p>Why not TextIO and ParseSentences: TextIO decodes every line into a String that the parser
 * then copies back into chars, and on the DirectRunner it hands a file's lines downstream in a few
 * huge bundles, so a large corpus sat in memory between stages. Here files are cut into ranges of
 * {@link #RANGE_BYTES}, spread over workers, and read by a splittable DoFn: a runner may cut a
 * range further or pause it (the DirectRunner does every 100 records, which lets later stages start
 * and bounds memory), and lines go from the file's bytes straight into Jackson's UTF-8 parser. A
 * range owns the lines that start in it, as in TextIO. Lines end at {@code \n}, and a {@code \r}
 * before it is dropped. Compressed files, and files their file system cannot seek in cheaply, are
 * read whole, by one worker ({@link ReadLinesFn}).
 */
public final class ReadSentences extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Sentences that carry their embeddings. */
  public static final TupleTag<Sentence> SENTENCES = new TupleTag<Sentence>("sentences") {};

  /** Sentences of tokens only, when {@link ParseSentences#withTableLookups()} lets them wait. */
  public static final TupleTag<PendingSentence> PENDING =
      new TupleTag<PendingSentence>("pending") {};

  /** Counter: lines that were not blank, each a sentence or an error record. */
  public static final String SENTENCES_READ = "sentencesRead";

  /** Counter: blank lines, skipped. */
  public static final String BLANK_LINES = "blankLines";

  /** Counter: lines that became error records here, but for width mismatches. */
  public static final String MALFORMED_LINES = "malformedLines";

  /** Counter: bytes of the lines read from files, newlines included (after decompression). */
  public static final String INPUT_BYTES = "inputBytes";

  /** Counter: lines whose embeddings are not as wide as the weights need. */
  public static final String WIDTH_MISMATCHES = "widthMismatches";

  static final TupleTagList OTHER_OUTPUTS = TupleTagList.of(ErrorRecord.TAG).and(PENDING);

  /** Bytes of a file per initial range at most, which a runner may cut further. */
  static final long RANGE_BYTES = 64L << 20;

  /** Initial ranges a file is cut into at least, if each can have {@link #MIN_RANGE_BYTES}. */
  static final long PIECES_PER_FILE = 16;

  /** Bytes of an initial range at least, unless {@link #withRangeBytes} asks for fewer. */
  static final long MIN_RANGE_BYTES = 1L << 20;

  /** How a streaming read watches its glob. */
  private record Watching(Duration interval, @Nullable Duration stopAfterIdle)
      implements Serializable {}

  private final String glob;
  private final ParseSentences parse;
  private final long rangeBytes;
  private final long rangesPerFile;
  private final @Nullable Watching watching; // null: read the files once
  private final boolean parquet;

  private ReadSentences(
      String glob,
      ParseSentences parse,
      long rangeBytes,
      long rangesPerFile,
      @Nullable Watching watching,
      boolean parquet) {
    super("ReadSentences");
    this.glob = glob;
    this.parse = parse;
    this.rangeBytes = rangeBytes;
    this.rangesPerFile = rangesPerFile;
    this.watching = watching;
    this.parquet = parquet;
  }

  /** The files {@code glob} matches, parsed with the settings of {@code parse}. */
  public static ReadSentences from(String glob, ParseSentences parse) {
    return new ReadSentences(glob, parse, RANGE_BYTES, PIECES_PER_FILE, null, false);
  }

  /**
   * The files are Parquet, not JSON Lines: each row a sentence, checked with the settings of the
   * parse ({@link ReadParquetFn}); each file read whole by one worker, in the order of its rows.
   * {@code --maxLineBytes} does not apply to rows.
   */
  public ReadSentences asParquet() {
    return new ReadSentences(glob, parse, rangeBytes, rangesPerFile, watching, true);
  }

  /**
   * Keeps watching the glob every {@code interval} for new files, whose lines are read as they come
   * (an unbounded output; TextIO's watch, so error records carry no file name), until no new file
   * has come for {@code stopAfterIdle}, or forever.
   */
  public ReadSentences watchingEvery(Duration interval, Optional<Duration> stopAfterIdle) {
    return new ReadSentences(
        glob,
        parse,
        rangeBytes,
        rangesPerFile,
        new Watching(interval, stopAfterIdle.orElse(null)),
        parquet);
  }

  /**
   * Cuts each plain file into {@code ranges} initial ranges (of at least {@link #MIN_RANGE_BYTES}),
   * however large they get, instead of {@link #PIECES_PER_FILE} of at most {@link #RANGE_BYTES}.
   *
   * <p>Why: the DirectRunner runs every range a step of 100 sentences at a time, one step of each
   * range in turn, so the sentences in memory between stages grow with the ranges; with 32 ranges
   * that was most of a 2 GB corpus, and the heap grew to match. A cluster wants many ranges, to
   * spread a file evenly over its workers.
   *
   * @throws IllegalArgumentException if {@code ranges} is below 1
   */
  public ReadSentences withRangesPerFile(int ranges) {
    if (ranges < 1) {
      throw new IllegalArgumentException("rangesPerFile must be at least 1, got " + ranges);
    }
    return new ReadSentences(glob, parse, Long.MAX_VALUE, ranges, watching, parquet);
  }

  /** With initial ranges of {@code bytes}: tests cut small files into many. */
  ReadSentences withRangeBytes(long bytes) {
    return new ReadSentences(glob, parse, bytes, rangesPerFile, watching, parquet);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    if (parquet) {
      return readParquet(begin);
    }
    if (watching != null) {
      Duration idle = watching.stopAfterIdle();
      TextIO.Read read =
          idle != null
              ? TextIO.read()
                  .from(glob)
                  .watchForNewFiles(watching.interval(), Watch.Growth.afterTimeSinceNewOutput(idle))
              : TextIO.read()
                  .from(glob)
                  .watchForNewFiles(watching.interval(), Watch.Growth.never());
      return begin.apply("WatchLines", read).apply("ParseSentences", parse);
    }
    // Where a range is read is up to the runner, and no Reshuffle here changes it: Beam's expansion
    // of a splittable DoFn gives each range a random 128-byte key and shuffles by it before reading
    // (on Flink in batch, SplittableParDoNaiveBounded, which never splits a range later; the
    // DirectRunner and Flink streaming group by that key too). Each range lands on a subtask by a
    // coin toss. So a file is cut into at least PIECES_PER_FILE ranges (none under
    // MIN_RANGE_BYTES), enough that the tosses even out. 4 files of 10 MB on a 2-slot cluster:
    // they were 4 ranges, split 3:1 in 4 runs of 5 (4:0 has a chance of 1 in 8); now they are 42,
    // and 5 runs read 57:43 of the sentences at worst.
    PCollection<KV<KV<String, Boolean>, OffsetRange>> ranges =
        begin
            .apply("MatchFiles", FileIO.match().filepattern(glob))
            .apply("SplitFiles", ParDo.of(new SplitFn(rangeBytes, rangesPerFile)))
            .setCoder(PIECE_CODER);
    PCollectionTuple out =
        ranges.apply(
            "ParseLines",
            ParDo.of(new ReadLinesFn(parse.lineHandler(), Math.min(rangeBytes, RANGE_BYTES)))
                .withOutputTags(SENTENCES, OTHER_OUTPUTS));
    return withCoders(out);
  }

  private PCollectionTuple readParquet(PBegin begin) {
    FileIO.Match match = FileIO.match().filepattern(glob);
    if (watching != null) {
      Duration idle = watching.stopAfterIdle();
      match =
          match.continuously(
              watching.interval(),
              idle != null ? Watch.Growth.afterTimeSinceNewOutput(idle) : Watch.Growth.never());
    }
    PCollectionTuple out =
        begin
            .apply("MatchFiles", match)
            .apply("OpenFiles", FileIO.readMatches())
            // One worker reads a file: spread the files over the workers first.
            .apply("SpreadFiles", Reshuffle.viaRandomKey())
            .apply(
                "ParseRows",
                ParDo.of(new ReadParquetFn(parse.rowParser(), parse.tokensSuffice()))
                    .withOutputTags(SENTENCES, OTHER_OUTPUTS));
    return withCoders(out);
  }

  /** Sets the coders of a reading step's three outputs. */
  static PCollectionTuple withCoders(PCollectionTuple out) {
    out.get(SENTENCES).setCoder(SentenceCoder.of());
    out.get(PENDING).setCoder(PendingSentence.Coder.of());
    out.get(ErrorRecord.TAG).setCoder(ErrorRecordCoder.of());
    return out;
  }

  /**
   * The coder of a piece of input, {@code ((file, readWhole), range)}: a byte range of a file, or,
   * for a file that cannot be entered in the middle, {@code readWhole} and the range [0, 1).
   */
  static final Coder<KV<KV<String, Boolean>, OffsetRange>> PIECE_CODER =
      KvCoder.of(KvCoder.of(StringUtf8Coder.of(), BooleanCoder.of()), OffsetRange.Coder.of());

  /**
   * The bytes of a file's initial ranges: {@code size / pieces} rounded up, but at least {@link
   * #MIN_RANGE_BYTES} and at most {@code maxBytes} (which wins).
   */
  static long rangeBytes(long size, long maxBytes, long pieces) {
    long each = size / pieces + (size % pieces == 0 ? 0 : 1);
    return Math.min(maxBytes, Math.max(MIN_RANGE_BYTES, each));
  }

  /**
   * Cuts a file into ranges of {@code rangeBytes} at most, and into {@code pieces} if that leaves
   * each {@link #MIN_RANGE_BYTES}. A compressed file, or one its file system cannot seek in
   * cheaply, is one piece read whole.
   */
  static final class SplitFn
      extends DoFn<MatchResult.Metadata, KV<KV<String, Boolean>, OffsetRange>> {
    private static final long serialVersionUID = 1L;
    private final long rangeBytes;
    private final long pieces;

    SplitFn(long rangeBytes, long pieces) {
      this.rangeBytes = rangeBytes;
      this.pieces = pieces;
    }

    @ProcessElement
    public void process(
        @Element MatchResult.Metadata file,
        OutputReceiver<KV<KV<String, Boolean>, OffsetRange>> out) {
      String name = file.resourceId().toString();
      if (InputFiles.isCompressed(file.resourceId()) || !file.isReadSeekEfficient()) {
        out.output(KV.of(KV.of(name, true), new OffsetRange(0, 1)));
        return;
      }
      OffsetRange whole = new OffsetRange(0, file.sizeBytes());
      long bytes = rangeBytes(file.sizeBytes(), rangeBytes, pieces);
      for (OffsetRange part : whole.split(bytes, Math.max(1, bytes / 4))) {
        out.output(KV.of(KV.of(name, false), part));
      }
    }
  }
}
