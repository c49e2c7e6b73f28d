package dev.beamattention.write;

import dev.beamattention.files.OutputCompression;
import dev.beamattention.json.JsonLines;
import dev.beamattention.record.AttendedSentence;
import dev.beamattention.record.Codecs;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.ErrorRecordCoder;
import dev.beamattention.record.KeptAttention;
import dev.beamattention.record.OutputPrecision;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.VarInt;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the job's records as JSON Lines under a directory: {@link #ATTENDED} as {@code
 * contextual-*.jsonl} (and {@code attention-*.jsonl} unless no attention is kept), {@link
 * ErrorRecord#TAG} as {@code errors-*.jsonl}, and, when the input has it, {@link #TABLE_ERRORS} as
 * {@code table-errors-*.jsonl}.
 *
 * <p>A bounded input is written by {@link JsonLinesSink}, one file per bundle, the contextual and
 * attention files (and the ids whose duplicates are counted) in one step; with a fixed number of
 * shards or per window (streaming) by TextIO. Either way numbers are written in the {@link
 * OutputPrecision} asked for and files compressed with the {@link OutputCompression} asked for.
 * Either way the records written are counted under {@link #SENTENCES_WRITTEN} and {@link
 * #ERROR_RECORDS}. With {@link #asParquet()} the contextual and attention records go to {@code
 * .parquet} files instead ({@link ParquetSink}).
 */
public final class WriteOutputs extends PTransform<PCollectionTuple, PDone> {
  private static final long serialVersionUID = 1L;

  /** Input: sentences after attention. */
  public static final TupleTag<AttendedSentence> ATTENDED =
      new TupleTag<AttendedSentence>("attended") {};

  /** Input, optional: a word-vector table's unusable lines. */
  public static final TupleTag<ErrorRecord> TABLE_ERRORS =
      new TupleTag<ErrorRecord>("tableErrors") {};

  /** Counter: contextual records written. */
  public static final String SENTENCES_WRITTEN = "sentencesWritten";

  /** Counter: attention records written. */
  public static final String ATTENTION_WRITTEN = "attentionWritten";

  /** Counter: error records written (not those of the table). */
  public static final String ERROR_RECORDS = "errorRecords";

  /** The counter of error records of one kind written. */
  public static String errorCounter(ErrorKind kind) {
    return "errors." + kind.key();
  }

  /**
   * Counter: sentences written whose id another written sentence has too (batch runs). Counting
   * holds every id once in one worker's memory: see {@link #withoutDuplicateIdCheck()}.
   */
  public static final String DUPLICATE_IDS = "duplicateIds";

  /** Counter: the table's error records written. */
  public static final String TABLE_ERRORS_WRITTEN = "tableErrorsWritten";

  /**
   * What and how to write.
   *
   * @param window null: bounded, written whole
   */
  private record Settings(
      String directory,
      KeptAttention kept,
      int numShards,
      @Nullable Duration window,
      boolean checkDuplicateIds,
      OutputPrecision precision,
      OutputCompression compression,
      boolean parquet)
      implements java.io.Serializable {}

  private final Settings settings;

  private WriteOutputs(Settings settings) {
    super("WriteOutputs");
    this.settings = settings;
  }

  /** Files under {@code directory}, with the attention maps that {@code kept} says are kept. */
  public static WriteOutputs to(String directory, KeptAttention kept) {
    return new WriteOutputs(
        new Settings(
            directory,
            kept,
            0,
            null,
            true,
            OutputPrecision.FLOAT64,
            OutputCompression.NONE,
            false));
  }

  /** A fixed number of shards per file kind; 0 lets the runner decide (1 when windowed). */
  public WriteOutputs withNumShards(int shards) {
    Settings s = settings;
    return new WriteOutputs(
        new Settings(
            s.directory,
            s.kept,
            shards,
            s.window,
            s.checkDuplicateIds,
            s.precision,
            s.compression,
            s.parquet));
  }

  /**
   * Writes files per fixed window of this length, as an unbounded (streaming) input needs; their
   * names carry the window's start and end.
   */
  public WriteOutputs withWindow(Duration length) {
    Settings s = settings;
    return new WriteOutputs(
        new Settings(
            s.directory,
            s.kept,
            s.numShards,
            length,
            s.checkDuplicateIds,
            s.precision,
            s.compression,
            s.parquet));
  }

  /** Leaves out the count of sentences sharing an id, for corpora of too many ids to hold. */
  public WriteOutputs withoutDuplicateIdCheck() {
    Settings s = settings;
    return new WriteOutputs(
        new Settings(
            s.directory,
            s.kept,
            s.numShards,
            s.window,
            false,
            s.precision,
            s.compression,
            s.parquet));
  }

  /**
   * The numbers of contextual and attention records in this precision; {@code FLOAT64} (exact) by
   * default. Error records always carry their input exactly.
   */
  public WriteOutputs withPrecision(OutputPrecision precision) {
    Settings s = settings;
    return new WriteOutputs(
        new Settings(
            s.directory,
            s.kept,
            s.numShards,
            s.window,
            s.checkDuplicateIds,
            precision,
            s.compression,
            s.parquet));
  }

  /**
   * Every file compressed so; {@code NONE} by default. Names gain the codec's ending: {@code
   * contextual-00000-of-00002.jsonl.gz}.
   */
  public WriteOutputs withCompression(OutputCompression compression) {
    Settings s = settings;
    return new WriteOutputs(
        new Settings(
            s.directory,
            s.kept,
            s.numShards,
            s.window,
            s.checkDuplicateIds,
            s.precision,
            compression,
            s.parquet));
  }

  /**
   * Contextual and attention records as Parquet files ({@code contextual-*.parquet}, {@code
   * attention-*.parquet}, see {@link ParquetSink}); error records stay JSON Lines.
   */
  public WriteOutputs asParquet() {
    Settings s = settings;
    return new WriteOutputs(
        new Settings(
            s.directory,
            s.kept,
            s.numShards,
            s.window,
            s.checkDuplicateIds,
            s.precision,
            s.compression,
            true));
  }

  @Override
  public PDone expand(PCollectionTuple input) {
    PCollection<AttendedSentence> attended = input.get(ATTENDED);
    boolean kept = settings.kept() != KeptAttention.NONE;
    boolean countIds = settings.window() == null && settings.checkDuplicateIds();
    if (!settings.parquet() && settings.window() == null && settings.numShards() == 0) {
      // Both kinds of file and the ids in one step: the attended sentences have one consumer.
      List<JsonLinesSink.Part<AttendedSentence>> parts = new ArrayList<>();
      parts.add(
          new JsonLinesSink.Part<>(
              "contextual", JsonLines.contextualFormat(settings.precision()), SENTENCES_WRITTEN));
      if (kept) {
        parts.add(
            new JsonLinesSink.Part<>(
                "attention", JsonLines.attentionFormat(settings.precision()), ATTENTION_WRITTEN));
      }
      JsonLinesSink<AttendedSentence> sink =
          new JsonLinesSink<>(settings.directory(), parts, settings.compression());
      if (countIds) {
        countDuplicates(attended.apply(sink.withIds(AttendedSentence::id)));
      } else {
        attended.apply(sink);
      }
    } else {
      writeEach(attended, kept);
      if (countIds) {
        countDuplicates(
            attended.apply(
                "Ids", MapElements.into(TypeDescriptors.strings()).via(AttendedSentence::id)));
      }
    }
    PCollection<ErrorRecord> errors =
        input
            .get(ErrorRecord.TAG)
            .apply("CountErrorKinds", ParDo.of(new CountKindsFn()))
            .setCoder(ErrorRecordCoder.of());
    emit("Errors", errors, JsonLines.ERROR, ERROR_RECORDS);
    if (input.has(TABLE_ERRORS)) {
      // A table is read whole, bounded even in a streaming job.
      input
          .get(TABLE_ERRORS)
          .apply(
              new JsonLinesSink<>(
                  settings.directory(),
                  "table-errors",
                  JsonLines.ERROR,
                  TABLE_ERRORS_WRITTEN,
                  settings.compression()));
    }
    return PDone.in(input.getPipeline());
  }

  // Ids join the contextual and attention records: say when they do not tell sentences apart.
  private static void countDuplicates(PCollection<String> ids) {
    ids.apply("CountDuplicates", Combine.globally(new DuplicatesFn()).withoutDefaults())
        .apply("ReportDuplicates", ParDo.of(new CountDuplicatesFn()));
  }

  // Contextual and attention records each by their own sink: Parquet, windows or fixed shards.
  private void writeEach(PCollection<AttendedSentence> attended, boolean kept) {
    if (settings.parquet()) {
      attended.apply(parquet(ParquetSink.Kind.CONTEXTUAL, SENTENCES_WRITTEN));
      if (kept) {
        attended.apply(parquet(ParquetSink.Kind.ATTENTION, ATTENTION_WRITTEN));
      }
      return;
    }
    emit(
        "Contextual",
        attended,
        JsonLines.contextualFormat(settings.precision()),
        SENTENCES_WRITTEN);
    if (kept) {
      emit(
          "Attention",
          attended,
          JsonLines.attentionFormat(settings.precision()),
          ATTENTION_WRITTEN);
    }
  }

  private ParquetSink parquet(ParquetSink.Kind kind, String counter) {
    return new ParquetSink(
        settings.directory(),
        kind,
        settings.numShards(),
        settings.window() != null,
        counter,
        settings.precision() == OutputPrecision.FLOAT32,
        parquetCodec(settings.compression()));
  }

  // Parquet compresses inside the file: snappy unless gzip or zstd is asked for.
  private static CompressionCodecName parquetCodec(OutputCompression compression) {
    switch (compression) {
      case GZIP:
        return CompressionCodecName.GZIP;
      case ZSTD:
        return CompressionCodecName.ZSTD;
      default:
        return CompressionCodecName.SNAPPY;
    }
  }

  /** One kind of file: by the bundle sink, or formatted to lines for TextIO. */
  private <T> void emit(
      String kind, PCollection<T> records, JsonLines.Format<T> format, String counter) {
    String file = kind.toLowerCase(Locale.ROOT);
    if (settings.window() == null && settings.numShards() == 0) {
      records.apply(
          new JsonLinesSink<>(settings.directory(), file, format, counter, settings.compression()));
    } else {
      write(kind, records.apply("Format" + kind, ParDo.of(new FormatFn<>(format, counter))));
    }
  }

  // Windowed or fixed-shard writes go through TextIO.
  private void write(String kind, PCollection<String> lines) {
    ResourceId dir = FileSystems.matchNewResource(settings.directory(), true);
    int numShards = settings.numShards();
    // TextIO appends the codec's ending (.gz, .zst) to the suffix itself.
    Compression compression = settings.compression().beam();
    String prefix =
        dir.resolve(kind.toLowerCase(Locale.ROOT), StandardResolveOptions.RESOLVE_FILE).toString();
    if (settings.window() != null) {
      // Windowed names go prefix + window + pane + shard, with no separator of their own.
      TextIO.Write write =
          TextIO.write()
              .to(prefix + "-")
              .withSuffix(".jsonl")
              .withCompression(compression)
              .withWindowedWrites()
              .withNumShards(Math.max(1, numShards));
      lines
          .apply("Window" + kind, Window.into(FixedWindows.of(settings.window())))
          .apply("Write" + kind, write.withOutputFilenames())
          .getPerDestinationOutputFilenames()
          .apply("Report" + kind, ParDo.of(new ReportFn()));
    } else {
      lines.apply(
          "Write" + kind,
          TextIO.write()
              .to(prefix)
              .withSuffix(".jsonl")
              .withCompression(compression)
              .withNumShards(numShards));
    }
  }

  /** The counter of records written under {@code name}, for both ways of writing. */
  static Counter counter(String name) {
    return Metrics.counter(WriteOutputs.class, name);
  }

  /** Says which file a window's records went to, as a streaming run writes them. */
  static final class ReportFn extends DoFn<KV<Object, String>, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WriteOutputs.class);

    @ProcessElement
    public void process(@Element KV<Object, String> file) {
      LOG.info("wrote {}", file.getValue());
    }
  }

  /**
   * The number of ids seen more than once (each extra sighting counts): the ids seen so far and the
   * extra sightings, merged as sets.
   */
  static final class DuplicatesFn extends Combine.CombineFn<String, DuplicatesFn.Seen, Long> {
    private static final long serialVersionUID = 1L;

    /** Ids seen, and how many sightings were of an id seen already. */
    static final class Seen implements java.io.Serializable {
      private static final long serialVersionUID = 1L;
      final java.util.HashSet<String> ids = new java.util.HashSet<>();
      long extra;
    }

    @Override
    public Seen createAccumulator() {
      return new Seen();
    }

    @Override
    public Seen addInput(Seen seen, String id) {
      if (!seen.ids.add(id)) {
        seen.extra++;
      }
      return seen;
    }

    @Override
    public Seen mergeAccumulators(Iterable<Seen> all) {
      Seen merged = new Seen();
      for (Seen s : all) {
        merged.extra += s.extra;
        for (String id : s.ids) {
          addInput(merged, id);
        }
      }
      return merged;
    }

    @Override
    public Long extractOutput(Seen seen) {
      return seen.extra;
    }

    @Override
    public Coder<Seen> getAccumulatorCoder(CoderRegistry registry, Coder<String> input) {
      return new SeenCoder();
    }
  }

  /** The extra sightings, then the ids. */
  static final class SeenCoder extends CustomCoder<DuplicatesFn.Seen> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(DuplicatesFn.Seen seen, OutputStream out) throws IOException {
      VarInt.encode(seen.extra, out);
      Codecs.writeStrings(seen.ids.toArray(new String[0]), out);
    }

    @Override
    public DuplicatesFn.Seen decode(InputStream in) throws IOException {
      DuplicatesFn.Seen seen = new DuplicatesFn.Seen();
      seen.extra = VarInt.decodeLong(in);
      seen.ids.addAll(java.util.Arrays.asList(Codecs.readStrings(in)));
      return seen;
    }
  }

  /** Counts the sentences beyond the first that share an id. */
  static final class CountDuplicatesFn extends DoFn<Long, Void> {
    private static final long serialVersionUID = 1L;
    private final Counter duplicates = counter(DUPLICATE_IDS);

    @ProcessElement
    public void process(@Element Long extra) {
      duplicates.inc(extra);
    }
  }

  /** Counts error records by kind, passing them on. */
  static final class CountKindsFn extends DoFn<ErrorRecord, ErrorRecord> {
    private static final long serialVersionUID = 1L;
    private final Counter[] byKind = new Counter[ErrorKind.values().length];

    CountKindsFn() {
      for (ErrorKind k : ErrorKind.values()) {
        byKind[k.ordinal()] = counter(errorCounter(k));
      }
    }

    @ProcessElement
    public void process(@Element ErrorRecord error, OutputReceiver<ErrorRecord> out) {
      byKind[error.kind().ordinal()].inc();
      out.output(error);
    }
  }

  /** One record per element as a JSON line, counted. */
  static final class FormatFn<T> extends DoFn<T, String> {
    private static final long serialVersionUID = 1L;
    private final JsonLines.Format<T> format;
    private final Counter written;

    FormatFn(JsonLines.Format<T> format, String counter) {
      this.format = format;
      this.written = counter(counter);
    }

    @ProcessElement
    public void process(@Element T record, OutputReceiver<String> out) {
      out.output(JsonLines.toLine(format, record));
      written.inc();
    }
  }
}
