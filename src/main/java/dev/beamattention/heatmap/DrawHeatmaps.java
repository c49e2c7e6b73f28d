package dev.beamattention.heatmap;

import dev.beamattention.record.AttendedSentence;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Draws the attention of chosen sentences into {@code DIR/heatmaps/}: one SVG per sentence and kept
 * head, and {@code index.html} showing them. The sentences are those with the N smallest ids (so
 * every runner picks the same), or those with the ids given.
 */
public final class DrawHeatmaps extends PTransform<PCollection<AttendedSentence>, PDone> {
  private static final long serialVersionUID = 1L;

  private final String directory;
  private final int count;
  private final List<String> ids; // empty: the smallest ids
  private final boolean mean;
  private final boolean causal;

  private DrawHeatmaps(
      String directory, int count, List<String> ids, boolean mean, boolean causal) {
    super("DrawHeatmaps");
    this.directory = directory;
    this.count = count;
    this.ids = List.copyOf(ids);
    this.mean = mean;
    this.causal = causal;
  }

  /**
   * The {@code count} sentences with the smallest ids.
   *
   * @param directory the job's output directory; pictures go to its {@code heatmaps/}
   */
  public static DrawHeatmaps smallestIds(String directory, int count) {
    return new DrawHeatmaps(directory, count, List.of(), false, false);
  }

  /** The sentences with these ids (one per id: the first by content where ids repeat). */
  public static DrawHeatmaps ofIds(String directory, List<String> ids) {
    return new DrawHeatmaps(directory, ids.size(), ids, false, false);
  }

  /** Whether the kept maps are the heads' mean (one matrix) rather than each head's. */
  public DrawHeatmaps withMean(boolean mean) {
    return new DrawHeatmaps(directory, count, ids, mean, causal);
  }

  /** Whether a causal mask hid the cells after the diagonal: they are drawn grey. */
  public DrawHeatmaps withCausal(boolean causal) {
    return new DrawHeatmaps(directory, count, ids, mean, causal);
  }

  @Override
  public PDone expand(PCollection<AttendedSentence> attended) {
    PCollection<AttendedSentence> candidates = attended;
    if (!ids.isEmpty()) {
      Set<String> wanted = new HashSet<>(ids);
      candidates = attended.apply("ChosenIds", Filter.by(s -> wanted.contains(s.id())));
    }
    candidates
        .apply("SmallestIds", Top.of(count, new ById()).withoutDefaults())
        .apply("Draw", ParDo.of(new DrawFn(directory, mean, causal, !ids.isEmpty())));
    return PDone.in(attended.getPipeline());
  }

  /** Orders by id, largest first, so that Top keeps the smallest. */
  static final class ById implements Comparator<AttendedSentence>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(AttendedSentence a, AttendedSentence b) {
      return b.id().compareTo(a.id());
    }
  }

  /** Writes the pictures and the index. */
  static final class DrawFn extends DoFn<List<AttendedSentence>, Void> {
    private static final long serialVersionUID = 1L;

    private final String directory;
    private final boolean mean;
    private final boolean causal;
    private final boolean byIds;

    DrawFn(String directory, boolean mean, boolean causal, boolean byIds) {
      this.directory = directory;
      this.mean = mean;
      this.causal = causal;
      this.byIds = byIds;
    }

    @ProcessElement
    public void process(@Element List<AttendedSentence> chosen) throws IOException {
      List<AttendedSentence> sentences = new ArrayList<>(chosen);
      sentences.sort(Comparator.comparing(AttendedSentence::id));
      ResourceId dir =
          FileSystems.matchNewResource(directory, true)
              .resolve("heatmaps", StandardResolveOptions.RESOLVE_DIRECTORY);
      List<HeatmapIndex.Entry> entries = new ArrayList<>();
      for (int i = 0; i < sentences.size(); i++) {
        AttendedSentence s = sentences.get(i);
        List<String> files = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        double[][][] heads = s.attention();
        if (s.tokens().length > HeatmapSvg.MAX_TOKENS) {
          captions.add(
              "not drawn: " + s.tokens().length + " tokens, more than " + HeatmapSvg.MAX_TOKENS);
          entries.add(new HeatmapIndex.Entry(s.id(), s.tokens(), files, captions));
          continue;
        }
        for (int h = 0; h < heads.length; h++) {
          String caption = mean ? "mean of the heads" : "head " + h;
          String file =
              String.format("%03d-%s-%s.svg", i, safe(s.id()), mean ? "mean" : "head-" + h);
          write(
              dir.resolve(file, StandardResolveOptions.RESOLVE_FILE),
              HeatmapSvg.draw(s.id() + ", " + caption, s.tokens(), heads[h], causal));
          files.add(file);
          captions.add(caption);
        }
        entries.add(new HeatmapIndex.Entry(s.id(), s.tokens(), files, captions));
      }
      String about =
          "The "
              + sentences.size()
              + (byIds ? " sentences chosen by id." : " sentences with the smallest ids.")
              + " Rows are the attending tokens, columns the attended ones; each row sums to 1."
              + (causal ? " Grey cells are hidden by the causal mask." : "");
      write(
          dir.resolve("index.html", StandardResolveOptions.RESOLVE_FILE),
          HeatmapIndex.html(entries, about));
    }

    private static void write(ResourceId file, String text) throws IOException {
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(file, MimeTypes.TEXT))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    }

    // Ids may hold any characters: keep file names portable.
    private static String safe(String id) {
      String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
      return s.length() > 60 ? s.substring(0, 60) : s;
    }
  }
}
