package dev.beamattention.pipeline;

import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Writes {@link Attend#ATTENDED} as {@code contextual-*.jsonl} (and {@code attention-*.jsonl}
 * unless the mode is none) and {@link Failures#TAG} as {@code errors-*.jsonl} under a directory.
 *
 * <p>A bounded input is written by {@link JsonLinesSink}, one file per bundle; with a fixed number
 * of shards or per window (streaming) by TextIO.
 */
public final class WriteOutputs extends PTransform<PCollectionTuple, PDone> {
  private static final long serialVersionUID = 1L;

  private final String directory;
  private final AttentionMode mode;
  private final int numShards;
  private final Duration window;

  private WriteOutputs(String directory, AttentionMode mode, int numShards, Duration window) {
    super("WriteOutputs");
    this.directory = directory;
    this.mode = mode;
    this.numShards = numShards;
    this.window = window;
  }

  /** Files under {@code directory}, attention weights as kept by {@link Attend}. */
  public static WriteOutputs to(String directory, AttentionMode mode) {
    return new WriteOutputs(directory, mode, 0, null);
  }

  /** A fixed number of shards per file kind; 0 lets the runner decide (1 when windowed). */
  public WriteOutputs withNumShards(int shards) {
    return new WriteOutputs(directory, mode, shards, window);
  }

  /**
   * Writes files per fixed window of this length, as an unbounded (streaming) input needs; their
   * names carry the window's start and end.
   */
  public WriteOutputs withWindow(Duration length) {
    return new WriteOutputs(directory, mode, numShards, length);
  }

  @Override
  public PDone expand(PCollectionTuple input) {
    PCollection<AttendedSentence> attended = input.get(Attend.ATTENDED);
    emit("Contextual", attended, JsonLines.CONTEXTUAL, "sentencesWritten");
    if (mode != AttentionMode.NONE) {
      emit("Attention", attended, JsonLines.ATTENTION, null);
    }
    emit("Errors", input.get(Failures.TAG), JsonLines.ERROR, "errorRecords");
    return PDone.in(input.getPipeline());
  }

  /** One kind of file: by the bundle sink, or formatted to lines for TextIO. */
  private <T> void emit(String kind, PCollection<T> records, JsonLines.Format<T> format, String counter) {
    String file = kind.toLowerCase(Locale.ROOT);
    if (window == null && numShards == 0) {
      records.apply(new JsonLinesSink<>(directory, file, format, counter));
    } else {
      write(kind, records.apply("Format" + kind, ParDo.of(new FormatFn<>(format, counter))));
    }
  }

  // Windowed or fixed-shard writes go through TextIO.
  private void write(String kind, PCollection<String> lines) {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    String prefix = dir.resolve(kind.toLowerCase(Locale.ROOT), StandardResolveOptions.RESOLVE_FILE).toString();
    TextIO.Write write;
    if (window != null) {
      // Windowed names go prefix + window + pane + shard, with no separator of their own.
      write = TextIO.write().to(prefix + "-").withSuffix(".jsonl").withWindowedWrites();
      write = write.withNumShards(Math.max(1, numShards));
      lines = lines.apply("Window" + kind, Window.into(FixedWindows.of(window)));
    } else {
      write = TextIO.write().to(prefix).withSuffix(".jsonl").withNumShards(numShards);
    }
    lines.apply("Write" + kind, write);
  }

  /** One record per element as a JSON line, counted when a counter is named. */
  static final class FormatFn<T> extends DoFn<T, String> {
    private static final long serialVersionUID = 1L;
    private final JsonLines.Format<T> format;
    private final Counter written;

    FormatFn(JsonLines.Format<T> format, String counter) {
      this.format = format;
      this.written = counter == null ? null : Metrics.counter(JsonLinesSink.class, counter);
    }

    @ProcessElement
    public void process(@Element T record, OutputReceiver<String> out) {
      out.output(JsonLines.toLine(format, record));
      if (written != null) {
        written.inc();
      }
    }
  }
}
