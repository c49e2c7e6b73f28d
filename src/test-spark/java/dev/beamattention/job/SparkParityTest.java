package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.testing.OutputFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same corpus on the DirectRunner and on the SparkRunner with local[2] (run with -Pspark). */
class SparkParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void directAndSparkWriteTheSameRecords(@TempDir Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      lines.add(
          "{\"id\": \"s"
              + i
              + "\", \"tokens\": [\"a\", \"b\", \"c\"], \"embeddings\": [["
              + i
              + ", 1, 0, 2], [0.5, -1, "
              + (i % 7)
              + ", 1], [3, 1e-3, 2, "
              + (i * 0.25)
              + "]]}");
    }
    lines.add(17, "{\"id\": \"broken\"");
    lines.add(33, "{\"id\": \"wide\", \"tokens\": [\"a\"], \"embeddings\": [[1, 2, 3, 4, 5]]}");
    Path input = dir.resolve("input.jsonl");
    Files.write(input, lines);

    Path direct = FlinkParityTest.run(dir.resolve("direct"), input, "--runner=DirectRunner");
    Path spark =
        FlinkParityTest.run(
            dir.resolve("spark"), input, "--runner=SparkRunner", "--sparkMaster=local[2]");

    for (String kind : new String[] {"contextual", "attention", "errors"}) {
      List<String> a = OutputFiles.lines(direct, kind);
      assertFalse(a.isEmpty(), kind + " is empty");
      assertEquals(a, OutputFiles.lines(spark, kind), kind + " differs between runners");
    }
    JsonNode countsA = JSON.readTree(direct.resolve("run.json").toFile()).get("counts");
    JsonNode countsB = JSON.readTree(spark.resolve("run.json").toFile()).get("counts");
    assertEquals(countsA, countsB);
    assertEquals(2, countsA.get("errors").asInt());
    assertEquals(60, countsA.get("sentencesWritten").asInt());
    assertEquals(60, OutputFiles.lines(spark, "contextual").size());
  }
}
