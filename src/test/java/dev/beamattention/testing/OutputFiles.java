package dev.beamattention.testing;

import dev.beamattention.job.AttentionJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/** Reads a job's output files back, whatever their sharding. */
public final class OutputFiles {
  private OutputFiles() {}

  /** Every line of every {@code KIND-*.jsonl} file in {@code dir}, sorted. */
  public static List<String> lines(Path dir, String kind) throws IOException {
    List<String> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith(kind + "-") && name.endsWith(".jsonl")) {
          all.addAll(Files.readAllLines(f));
        }
      }
    }
    Collections.sort(all);
    return all;
  }

  /** How many files in {@code dir} are named {@code PREFIX...SUFFIX}. */
  public static long count(Path dir, String prefix, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.endsWith(suffix))
          .count();
    }
  }

  /** The exit status of one run of the job's command line, and its standard error, stripped. */
  public record JobRun(int status, String err) {}

  /** Runs the job's command line in this JVM ({@code AttentionJob.runMain}), output dropped. */
  public static JobRun runJob(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        AttentionJob.runMain(
            args,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new JobRun(status, err.toString(StandardCharsets.UTF_8).strip());
  }
}
