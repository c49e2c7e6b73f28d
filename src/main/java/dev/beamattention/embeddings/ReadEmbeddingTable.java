package dev.beamattention.embeddings;

import dev.beamattention.pipeline.Failure;
import dev.beamattention.pipeline.FailureCoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
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
 * The rows of a word-vector table ({@link #VECTORS}) and its unusable lines ({@link #PROBLEMS},
 * with file and line). Each file is read from start to end by one worker, so lines can be counted
 * and duplicates found; {@code .gz} files are read as such.
 */
public final class ReadEmbeddingTable extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  public static final TupleTag<KV<String, double[]>> VECTORS = new TupleTag<KV<String, double[]>>("vectors") {};
  public static final TupleTag<Failure> PROBLEMS = new TupleTag<Failure>("tableProblems") {};

  private final String path;
  private final int dim;

  public ReadEmbeddingTable(String path, int dim) {
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
            .apply("Read", ParDo.of(new ReadTableFn(dim)).withOutputTags(VECTORS, TupleTagList.of(PROBLEMS)));
    out.get(VECTORS).setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleArrayCoder.of()));
    out.get(PROBLEMS).setCoder(FailureCoder.of());
    return out;
  }

  /** Reads one table file. */
  static final class ReadTableFn extends DoFn<FileIO.ReadableFile, KV<String, double[]>> {
    private static final long serialVersionUID = 1L;
    private final Counter rows = Metrics.counter(ReadTableFn.class, "tableRows");
    private final Counter problems = Metrics.counter(ReadTableFn.class, "tableProblems");
    private final int dim;

    ReadTableFn(int dim) {
      this.dim = dim;
    }

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out) throws IOException {
      String name = file.getMetadata().resourceId().toString();
      try (BufferedReader reader =
          new BufferedReader(Channels.newReader(file.open(), StandardCharsets.UTF_8), 1 << 20)) {
        TableReader.read(
            reader,
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
                out.get(PROBLEMS).output(new Failure("embeddings table line " + line + ": " + reason, text, name));
              }
            });
      }
    }
  }
}
