package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.testing.OutputFiles;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One corpus of good and bad lines on the DirectRunner and on the embedded FlinkRunner (parallelism
 * 2): the same records with the same doubles in every output, whatever the sharding, and the same
 * counts in run.json.
 */
class FlinkParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void directAndFlinkWriteTheSameRecords(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(
                    Files.newInputStream(Path.of("sample-data/corpus/sentences.jsonl.gz"))),
                StandardCharsets.UTF_8))) {
      for (int i = 0; i < 400; i++) {
        lines.add(r.readLine());
      }
    }
    lines.add(120, "{\"id\": \"bad-json\", ");
    lines.add(240, "{\"id\": \"wide\", \"tokens\": [\"a\"], \"embeddings\": [[1, 2, 3]]}");
    lines.add(300, "");
    lines.add(
        360,
        "{\"id\": \"nan\", \"tokens\": [\"a\"], \"embeddings\": [[1, 2, 3, 4, 5, 6, 7, NaN]]}");
    Path input = dir.resolve("input");
    Files.createDirectories(input);
    Files.write(input.resolve("part-1.jsonl"), lines.subList(0, 200));
    Files.write(input.resolve("part-2.jsonl"), lines.subList(200, lines.size()));

    Path direct = run(dir.resolve("direct"), input, "--runner=DirectRunner");
    Path flink =
        run(
            dir.resolve("flink"),
            input,
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=2");

    for (String kind : new String[] {"contextual", "attention", "errors"}) {
      List<String> a = OutputFiles.lines(direct, kind);
      List<String> b = OutputFiles.lines(flink, kind);
      assertFalse(a.isEmpty(), kind + " is empty");
      assertEquals(a, b, kind + " differs between runners");
    }
    JsonNode countsA = JSON.readTree(direct.resolve("run.json").toFile()).get("counts");
    JsonNode countsB = JSON.readTree(flink.resolve("run.json").toFile()).get("counts");
    assertEquals(countsA, countsB);
    assertEquals(403, countsA.get("sentencesRead").asInt());
    assertEquals(400, countsA.get("sentencesWritten").asInt());
    assertEquals(3, countsA.get("errors").asInt());
    assertEquals(400, OutputFiles.lines(flink, "contextual").size());
    assertEquals(
        "FlinkRunner", JSON.readTree(flink.resolve("run.json").toFile()).get("runner").asText());
  }

  /** Runs the job on every .jsonl under input (a file or folder) with 2 heads; asserts status 0. */
  static Path run(Path out, Path input, String... runnerArgs) {
    String glob = Files.isDirectory(input) ? input + "/*.jsonl" : input.toString();
    List<String> args = new ArrayList<>(List.of("--input=" + glob, "--output=" + out, "--heads=2"));
    Collections.addAll(args, runnerArgs);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        AttentionJob.runMain(
            args.toArray(new String[0]),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    return out;
  }
}
