package dev.beamattention.statistics;

import dev.beamattention.record.SentenceWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Per-head statistics over the whole corpus: {@code head-stats.json} and {@code head-stats.html}
 * under the output directory (per window, {@code head-stats-START-END.json} and {@code .html}).
 * {@link SummarizeHeads} computes them; this gathers the heads and writes the two files.
 *
 * <pre>{@code
 * attended.get(Attend.HEAD_WEIGHTS)
 *     .apply("HeadStats", HeadStats.to("out/").withTopPairs(20).withCausal(false));
 * }</pre>
 */
public final class HeadStats extends PTransform<PCollection<SentenceWeights>, PDone> {
  private static final long serialVersionUID = 1L;

  /** Counter: sentences whose heads were summarized. */
  public static final String SENTENCES = "headStatsSentences";

  /** The files' names without their extension, {@code .json} and {@code .html}. */
  public static final String FILE_NAME = "head-stats";

  private final String directory;
  private final int topPairs;
  private final boolean causal;
  private final @Nullable Duration window; // null: bounded, one pair of files

  private HeadStats(String directory, int topPairs, boolean causal, @Nullable Duration window) {
    super("HeadStats");
    this.directory = directory;
    this.topPairs = topPairs;
    this.causal = causal;
    this.window = window;
  }

  /** Files under {@code directory}; the 20 top pairs per head, no causal mask. */
  public static HeadStats to(String directory) {
    return new HeadStats(directory, 20, false, null);
  }

  /** Keeps this many token pairs per head; 0 computes none. */
  public HeadStats withTopPairs(int count) {
    return new HeadStats(directory, count, causal, window);
  }

  /** Whether the weights come from a causal mask: only visible cells count, and no next. */
  public HeadStats withCausal(boolean causal) {
    return new HeadStats(directory, topPairs, causal, window);
  }

  /** Statistics per fixed window of this length, as an unbounded input needs. */
  public HeadStats withWindow(Duration length) {
    return new HeadStats(directory, topPairs, causal, length);
  }

  @Override
  public PDone expand(PCollection<SentenceWeights> sentences) {
    PCollection<SentenceWeights> input = sentences;
    if (window != null) {
      input = sentences.apply("Window", Window.into(FixedWindows.of(window)));
    }
    PCollection<HeadReport> reports =
        input.apply("Summarize", new SummarizeHeads(topPairs, causal));
    Combine.Globally<HeadReport, List<HeadReport>> gather = Combine.globally(new GatherFn());
    if (window != null) {
      gather = gather.withoutDefaults();
    }
    reports
        .apply("Gather", gather)
        .setCoder(ListCoder.of(HeadReport.Coder.INSTANCE))
        .apply("Write", ParDo.of(new WriteFn(directory, causal, window != null)));
    return PDone.in(sentences.getPipeline());
  }

  /** Every head's report in one list, by head. */
  static final class GatherFn
      extends Combine.CombineFn<HeadReport, List<HeadReport>, List<HeadReport>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<HeadReport> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<HeadReport> addInput(List<HeadReport> all, HeadReport report) {
      all.add(report);
      return all;
    }

    @Override
    public List<HeadReport> mergeAccumulators(Iterable<List<HeadReport>> parts) {
      List<HeadReport> all = new ArrayList<>();
      for (List<HeadReport> part : parts) {
        all.addAll(part);
      }
      return all;
    }

    @Override
    public List<HeadReport> extractOutput(List<HeadReport> all) {
      List<HeadReport> sorted = new ArrayList<>(all);
      sorted.sort(Comparator.comparingInt(HeadReport::head));
      return sorted;
    }

    @Override
    public Coder<List<HeadReport>> getAccumulatorCoder(
        CoderRegistry registry, Coder<HeadReport> input) {
      return ListCoder.of(HeadReport.Coder.INSTANCE);
    }
  }

  /** Writes the JSON and the page. */
  static final class WriteFn extends DoFn<List<HeadReport>, Void> {
    private static final long serialVersionUID = 1L;
    private final String directory;
    private final boolean causal;
    private final boolean windowed;

    WriteFn(String directory, boolean causal, boolean windowed) {
      this.directory = directory;
      this.causal = causal;
      this.windowed = windowed;
    }

    @ProcessElement
    public void process(@Element List<HeadReport> reports, BoundedWindow window)
        throws IOException {
      String name = FILE_NAME;
      if (windowed && window instanceof IntervalWindow) {
        IntervalWindow w = (IntervalWindow) window;
        name += "-" + w.start() + "-" + w.end();
      }
      ResourceId dir = FileSystems.matchNewResource(directory, true);
      write(
          dir.resolve(name + ".json", StandardResolveOptions.RESOLVE_FILE),
          HeadStatsJson.write(reports, causal));
      write(
          dir.resolve(name + ".html", StandardResolveOptions.RESOLVE_FILE),
          HeadStatsPage.html(reports, causal).getBytes(StandardCharsets.UTF_8));
    }

    private static void write(ResourceId file, byte[] bytes) throws IOException {
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
        out.write(bytes);
      }
    }
  }
}
