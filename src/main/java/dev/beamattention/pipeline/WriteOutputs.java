package dev.beamattention.pipeline;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes {@link Attend#ATTENDED} as {@code contextual-*.jsonl} (and {@code attention-*.jsonl}
 * unless the mode is none) and {@link Failures#TAG} as {@code errors-*.jsonl} under a directory.
 */
public final class WriteOutputs extends PTransform<PCollectionTuple, PDone> {
  private static final long serialVersionUID = 1L;

  private final String directory;
  private final AttentionMode mode;
  private final int numShards;

  private WriteOutputs(String directory, AttentionMode mode, int numShards) {
    super("WriteOutputs");
    this.directory = directory;
    this.mode = mode;
    this.numShards = numShards;
  }

  /** Files under {@code directory}, attention weights as kept by {@link Attend}. */
  public static WriteOutputs to(String directory, AttentionMode mode) {
    return new WriteOutputs(directory, mode, 0);
  }

  /** A fixed number of shards per file kind; 0 lets the runner decide. */
  public WriteOutputs withNumShards(int shards) {
    return new WriteOutputs(directory, mode, shards);
  }

  @Override
  public PDone expand(PCollectionTuple input) {
    PCollection<AttendedSentence> attended = input.get(Attend.ATTENDED);
    attended
        .apply("FormatContextual", ParDo.of(new FormatContextualFn()))
        .apply("WriteContextual", write("contextual"));
    if (mode != AttentionMode.NONE) {
      attended
          .apply("FormatAttention", ParDo.of(new FormatAttentionFn()))
          .apply("WriteAttention", write("attention"));
    }
    input
        .get(Failures.TAG)
        .apply("FormatErrors", ParDo.of(new FormatErrorFn()))
        .apply("WriteErrors", write("errors"));
    return PDone.in(input.getPipeline());
  }

  private TextIO.Write write(String kind) {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    TextIO.Write write =
        TextIO.write()
            .to(dir.resolve(kind, StandardResolveOptions.RESOLVE_FILE).toString())
            .withSuffix(".jsonl");
    return numShards > 0 ? write.withNumShards(numShards) : write;
  }

  /** A contextual record per sentence; counts what is written. */
  static final class FormatContextualFn extends DoFn<AttendedSentence, String> {
    private static final long serialVersionUID = 1L;
    private final Counter written = Metrics.counter(FormatContextualFn.class, "sentencesWritten");

    @ProcessElement
    public void process(@Element AttendedSentence s, OutputReceiver<String> out) {
      out.output(JsonLines.contextual(s));
      written.inc();
    }
  }

  /** An attention record per sentence. */
  static final class FormatAttentionFn extends DoFn<AttendedSentence, String> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element AttendedSentence s, OutputReceiver<String> out) {
      out.output(JsonLines.attention(s));
    }
  }

  /** An error record per failure; counts them. */
  static final class FormatErrorFn extends DoFn<Failure, String> {
    private static final long serialVersionUID = 1L;
    private final Counter errors = Metrics.counter(FormatErrorFn.class, "errorRecords");

    @ProcessElement
    public void process(@Element Failure f, OutputReceiver<String> out) {
      out.output(JsonLines.error(f));
      errors.inc();
    }
  }
}
