package dev.beamattention.embed;

import dev.beamattention.core.Limits;
import dev.beamattention.files.LineReader;
import dev.beamattention.record.DoubleArrayCoder;
import dev.beamattention.record.ErrorKind;
import dev.beamattention.record.ErrorRecord;
import dev.beamattention.record.ErrorRecordCoder;
import java.io.IOException;
import java.nio.channels.Channels;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The rows of a word-vector table ({@link #VECTORS}) and its unusable lines ({@link
 * EmbedSentences#TABLE_ERRORS}, with file and line). Each file is read from start to end by one
 * worker, so lines can be counted and duplicates found; {@code .gz} files are read as such. A row
 * that is not UTF-8 is a bad line like others, and a file that breaks part way keeps its rows
 * before the break and adds one error record where it broke: the table is a side input that many
 * sentences share, so one bad row or a cut-off end should cost those tokens, not the run.
 */
final class ReadEmbeddingTable extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  static final TupleTag<KV<String, double[]>> VECTORS =
      new TupleTag<KV<String, double[]>>("vectors") {};

  private final String path;
  private final int dim;

  ReadEmbeddingTable(String path, int dim) {
    super("ReadEmbeddingTable");
    this.path = path;
    this.dim = dim;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple out =
        begin
            .apply("Match", FileIO.match().filepattern(path))
            .apply("Open", FileIO.readMatches())
            .apply(
                "Read",
                ParDo.of(new ReadTableFn(dim))
                    .withOutputTags(VECTORS, TupleTagList.of(EmbedSentences.TABLE_ERRORS)));
    out.get(VECTORS).setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleArrayCoder.of()));
    out.get(EmbedSentences.TABLE_ERRORS).setCoder(ErrorRecordCoder.of());
    return out;
  }

  /** Reads one table file. */
  static final class ReadTableFn extends DoFn<FileIO.ReadableFile, KV<String, double[]>> {
    private static final long serialVersionUID = 1L;
    private final Counter rows = Metrics.counter(EmbedSentences.class, EmbedSentences.TABLE_ROWS);
    private final Counter problems =
        Metrics.counter(EmbedSentences.class, EmbedSentences.TABLE_PROBLEMS);
    private final int dim;

    ReadTableFn(int dim) {
      this.dim = dim;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      try (LineReader lines =
          new LineReader(Channels.newInputStream(file.open()), Limits.MAX_TABLE_LINE_BYTES)) {
        TableReader.read(
            lines,
            dim,
            new TableReader.Sink() {
              @Override
              public void row(String token, double[] vector) {
                rows.inc();
                out.get(VECTORS).output(KV.of(token, vector));
              }

              @Override
              public void problem(long line, String reason, String text) {
                problems.inc();
                out.get(EmbedSentences.TABLE_ERRORS)
                    .output(
                        ErrorRecord.of(
                            ErrorKind.TABLE_LINE,
                            "embeddings table line " + line + ": " + reason,
                            text,
                            name));
              }
            });
      }
    }
  }
}
