package dev.beamattention.job;

import dev.beamattention.files.OutputCompression;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The files a run writes under {@code --output}, found again: a folder that holds an earlier run's
 * outputs is refused unless {@code --overwrite}, which deletes exactly those files (and nothing
 * else) before the run writes its own.
 */
final class OutputFolder {
  /** The kinds of record files, each {@code KIND-...-of-NNNNN} and a JSON Lines ending. */
  private static final List<String> KINDS =
      List.of("contextual", "attention", "errors", "table-errors");

  /**
   * The kinds written as Parquet with --outputFormat=parquet: {@code KIND-...-of-NNNNN.parquet}.
   */
  private static final List<String> PARQUET_KINDS = List.of("contextual", "attention");

  /** The other files this job writes, as globs relative to the output folder. */
  private static final List<String> OTHERS =
      List.of(
          "run.json",
          "weights.npz",
          "heatmaps/index.html",
          "heatmaps/*.svg",
          "head-stats.json",
          "head-stats.html",
          "head-stats-*.json",
          "head-stats-*.html");

  /** The names this job writes, as globs relative to the output folder. */
  private static final List<String> OUTPUTS = outputs();

  private static List<String> outputs() {
    List<String> globs = new ArrayList<>();
    for (String kind : KINDS) {
      for (String suffix : OutputCompression.allSuffixes()) {
        globs.add(kind + "-*-of-?????" + suffix);
      }
    }
    for (String kind : PARQUET_KINDS) {
      globs.add(kind + "-*-of-?????.parquet");
    }
    globs.addAll(OTHERS);
    return List.copyOf(globs);
  }

  private final String directory;
  private final List<ResourceId> earlier;

  private OutputFolder(String directory, List<ResourceId> earlier) {
    this.directory = directory;
    this.earlier = earlier;
  }

  /**
   * Looks for an earlier run's outputs in {@code directory}.
   *
   * @throws IllegalArgumentException when there are some and {@code overwrite} is false
   */
  static OutputFolder check(String directory, boolean overwrite) throws IOException {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    List<ResourceId> found = new ArrayList<>();
    for (String glob : OUTPUTS) {
      String spec = dir.resolve(glob, StandardResolveOptions.RESOLVE_FILE).toString();
      MatchResult m = FileSystems.match(spec, EmptyMatchTreatment.ALLOW);
      if (m.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata f : m.metadata()) {
          found.add(f.resourceId());
        }
      }
    }
    if (!found.isEmpty() && !overwrite) {
      throw new IllegalArgumentException(
          "--output="
              + directory
              + " holds an earlier run's outputs ("
              + found.get(0).getFilename()
              + (found.size() > 1 ? " and " + (found.size() - 1) + " more" : "")
              + "): give --overwrite to replace them, or another folder");
    }
    return new OutputFolder(directory, found);
  }

  /**
   * Refuses an input glob that would read this job's outputs: the next run would take them as
   * sentences.
   *
   * @throws IllegalArgumentException when {@code inputGlob} matches a name this job writes here
   */
  static void checkApart(String inputGlob, String directory) {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    Pattern input = globPattern(FileSystems.matchNewResource(inputGlob, false).toString());
    for (String kind : KINDS) {
      for (String suffix : OutputCompression.allSuffixes()) {
        checkApart(input, inputGlob, dir, directory, kind + "-00000-of-00001" + suffix);
      }
    }
    for (String kind : PARQUET_KINDS) {
      checkApart(input, inputGlob, dir, directory, kind + "-00000-of-00001.parquet");
    }
  }

  private static void checkApart(
      Pattern input, String inputGlob, ResourceId dir, String directory, String shard) {
    if (input
        .matcher(dir.resolve(shard, StandardResolveOptions.RESOLVE_FILE).toString())
        .matches()) {
      throw new IllegalArgumentException(
          "--input="
              + inputGlob
              + " would match the outputs written to --output="
              + directory
              + " ("
              + shard
              + "): write them to a folder the input glob does not reach");
    }
  }

  /** Deletes the earlier run's outputs found by {@link #check}; a no-op when there were none. */
  void clearEarlierRun() throws IOException {
    if (earlier.isEmpty()) {
      return;
    }
    FileSystems.delete(earlier, StandardMoveOptions.IGNORE_MISSING_FILES);
    ResourceId heatmaps =
        FileSystems.matchNewResource(directory, true)
            .resolve("heatmaps", StandardResolveOptions.RESOLVE_DIRECTORY);
    MatchResult left =
        FileSystems.match(
            heatmaps.resolve("*", StandardResolveOptions.RESOLVE_FILE).toString(),
            EmptyMatchTreatment.ALLOW);
    if (left.status() == MatchResult.Status.OK && left.metadata().isEmpty()) {
      // An emptied heatmaps folder goes too; one holding anything else stays.
      FileSystems.delete(List.of(heatmaps), StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  // A file-system glob as a regular expression: * and ? stay within a folder, ** crosses them.
  static Pattern globPattern(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
