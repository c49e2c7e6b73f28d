package dev.beamattention.pipeline;

import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the JSON Lines files a glob matches and parses them, as {@link ParseSentences} does, into
 * {@link ParseSentences#SENTENCES}, {@link ParseSentences#PENDING} and {@link Failures#TAG}; error
 * records name their file.
 *
 * <p>Why not TextIO and ParseSentences: TextIO decodes every line into a String that the parser
 * then copies back into chars, and on the DirectRunner it hands a file's lines downstream in a
 * few huge bundles, so a 600 MB corpus sat in memory between stages. Here files are cut into
 * ranges of {@link #RANGE_BYTES}, spread over workers, and read by a splittable DoFn: a runner
 * may cut a range further or pause it (the DirectRunner does every 100 records, which lets later
 * stages start and bounds memory), and lines go from the file's bytes straight into Jackson's
 * UTF-8 parser. A range owns the lines that start in it, as in TextIO. Lines end at {@code \n},
 * and a {@code \r} before it is dropped. Compressed files, and files their file system cannot
 * seek in cheaply, are read whole, by one worker ({@link ReadLinesFn}).
 */
public final class ReadSentences extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Bytes of a file per initial range, which a runner may cut further. */
  static final long RANGE_BYTES = 64L << 20;

  private final String glob;
  private final ParseSentences parse;
  private final long rangeBytes;

  private ReadSentences(String glob, ParseSentences parse, long rangeBytes) {
    super("ReadSentences");
    this.glob = glob;
    this.parse = parse;
    this.rangeBytes = rangeBytes;
  }

  /** The files {@code glob} matches, parsed with the settings of {@code parse}. */
  public static ReadSentences from(String glob, ParseSentences parse) {
    return new ReadSentences(glob, parse, RANGE_BYTES);
  }

  /** With initial ranges of {@code bytes}: tests cut small files into many. */
  ReadSentences withRangeBytes(long bytes) {
    return new ReadSentences(glob, parse, bytes);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    // The ranges are spread before reading: runners that read a splittable DoFn's initial
    // ranges where its element is (Flink, Spark) would otherwise read a file on one worker.
    PCollection<KV<KV<String, Boolean>, OffsetRange>> ranges =
        begin
            .apply("MatchFiles", FileIO.match().filepattern(glob))
            .apply("SplitFiles", ParDo.of(new SplitFn(rangeBytes)))
            .setCoder(PIECE_CODER)
            .apply("SpreadRanges", Reshuffle.viaRandomKey());
    PCollectionTuple out =
        ranges.apply(
            "ParseLines",
            ParDo.of(new ReadLinesFn(parse.lineHandler(), rangeBytes))
                .withOutputTags(
                    ParseSentences.SENTENCES,
                    TupleTagList.of(Failures.TAG).and(ParseSentences.PENDING)));
    out.get(ParseSentences.SENTENCES).setCoder(SentenceCoder.of());
    out.get(ParseSentences.PENDING).setCoder(PendingSentence.Coder.of());
    out.get(Failures.TAG).setCoder(FailureCoder.of());
    return out;
  }

  /**
   * The coder of a piece of input, {@code ((file, readWhole), range)}: a byte range of a file, or,
   * for a file that cannot be entered in the middle, {@code readWhole} and the range [0, 1).
   */
  static final Coder<KV<KV<String, Boolean>, OffsetRange>> PIECE_CODER =
      KvCoder.of(KvCoder.of(StringUtf8Coder.of(), BooleanCoder.of()), OffsetRange.Coder.of());

  /**
   * Cuts a file into ranges of about {@code rangeBytes}. A compressed file, or one its file system
   * cannot seek in cheaply, is one piece read whole.
   */
  static final class SplitFn extends DoFn<MatchResult.Metadata, KV<KV<String, Boolean>, OffsetRange>> {
    private static final long serialVersionUID = 1L;
    private final long rangeBytes;

    SplitFn(long rangeBytes) {
      this.rangeBytes = rangeBytes;
    }

    @ProcessElement
    public void process(
        @Element MatchResult.Metadata file,
        OutputReceiver<KV<KV<String, Boolean>, OffsetRange>> out) {
      String name = file.resourceId().toString();
      String fileName = file.resourceId().getFilename();
      boolean compressed =
          Compression.detect(fileName == null ? "" : fileName) != Compression.UNCOMPRESSED;
      if (compressed || !file.isReadSeekEfficient()) {
        out.output(KV.of(KV.of(name, true), new OffsetRange(0, 1)));
        return;
      }
      OffsetRange whole = new OffsetRange(0, file.sizeBytes());
      for (OffsetRange part : whole.split(rangeBytes, Math.max(1, rangeBytes / 4))) {
        out.output(KV.of(KV.of(name, false), part));
      }
    }
  }

}
