package dev.beamattention.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/** Looks at the input before the pipeline runs: does the glob match, how wide are embeddings. */
final class InputPeek {
  private static final int MAX_LINES = 1000;

  private InputPeek() {}

  /**
   * The files the glob matches, sorted by name.
   *
   * @throws IllegalArgumentException when it matches nothing
   */
  static List<MatchResult.Metadata> match(String glob) throws IOException {
    MatchResult result = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    List<MatchResult.Metadata> files =
        result.status() == MatchResult.Status.OK ? new ArrayList<>(result.metadata()) : new ArrayList<>();
    if (files.isEmpty()) {
      throw new IllegalArgumentException("--input=" + glob + " matches no file");
    }
    files.sort(Comparator.comparing(m -> m.resourceId().toString()));
    return files;
  }

  /**
   * d_model of the first usable sentence, reading files in name order, at most 1000 lines.
   *
   * @throws IllegalArgumentException when no usable sentence is found there
   */
  static int firstWidth(String glob, int maxTokens) throws IOException {
    SentenceParser parser = new SentenceParser(0, maxTokens);
    int seen = 0;
    List<MatchResult.Metadata> files;
    try {
      files = match(glob);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot tell d_model: --input=" + glob + " matches no file yet; give --dModel or --weights");
    }
    for (MatchResult.Metadata file : files) {
      String name = file.resourceId().getFilename();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(
                      Compression.detect(name == null ? "" : name)
                          .readDecompressed(FileSystems.open(file.resourceId()))),
                  StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null && seen < MAX_LINES; line = reader.readLine()) {
          if (line.isBlank()) {
            continue;
          }
          seen++;
          try {
            return parser.parse(line).embeddings()[0].length;
          } catch (BadRecordException e) {
            // Bad lines become error records later; keep looking for a good one.
          }
        }
      }
    }
    throw new IllegalArgumentException(
        "cannot tell d_model: no usable sentence in the first " + MAX_LINES
            + " lines of --input; give --dModel or --weights");
  }

  /** A word-vector table's width and its files' total size in bytes. */
  record TableShape(int dim, long bytes) {}

  /**
   * Reads the width of a table from its header ("count dim") or its first row.
   *
   * @throws IllegalArgumentException when the glob matches nothing or the table has no row
   */
  static TableShape table(String glob) throws IOException {
    List<MatchResult.Metadata> files;
    try {
      files = match(glob);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--embeddings=" + glob + " matches no file");
    }
    long bytes = 0;
    for (MatchResult.Metadata f : files) {
      bytes += f.sizeBytes();
    }
    String name = files.get(0).resourceId().getFilename();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Channels.newInputStream(
                    Compression.detect(name == null ? "" : name)
                        .readDecompressed(FileSystems.open(files.get(0).resourceId()))),
                StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] parts = line.trim().split("[ \\t]+");
        if (line.isBlank()) {
          continue;
        }
        if (parts.length == 2 && parts[0].matches("\\d{1,9}") && parts[1].matches("\\d{1,9}")) {
          return new TableShape(Integer.parseInt(parts[1]), bytes);
        }
        if (parts.length > 1) {
          return new TableShape(parts.length - 1, bytes);
        }
      }
    }
    throw new IllegalArgumentException("--embeddings=" + glob + " has no row of a token and its values");
  }
}
