package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.testing.OutputFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README quotes the worked example's output lines, cut short with "...": each quoted start must
 * be the start of the line the job writes, to the last digit.
 */
class ReadmeExamplesTest {
  @Test
  void theQuotedWorkedExampleLinesAreWhatTheJobWrites(@TempDir Path dir) throws Exception {
    List<String> quoted = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.startsWith("{\"id\":\"worked-example\"")) {
        quoted.add(line);
      }
    }
    assertEquals(2, quoted.size(), "the README quotes a contextual and an attention line");
    int status =
        AttentionJob.runMain(
            new String[] {
              "--input=sample-data/worked-example/sentences.jsonl",
              "--weights=sample-data/worked-example/weights.json",
              "--scale=none",
              "--output=" + dir
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(0, status);
    for (String line : quoted) {
      String kind = line.contains("\"output\"") ? "contextual" : "attention";
      String written = OutputFiles.lines(dir, kind).get(0);
      int cut = line.indexOf("...");
      String start = cut < 0 ? line : line.substring(0, cut);
      assertTrue(written.startsWith(start), "README: " + start + "\njob:    " + written);
    }
  }
}
