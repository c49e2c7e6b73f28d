package dev.beamattention.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.testing.OutputFiles;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sentences of tokens with a word-vector table: side input and shuffle give the same outputs. */
class EmbeddingJoinTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static int run(String... args) {
    OutputFiles.JobRun run = OutputFiles.runJob(args);
    assertTrue(run.status() != 1, run.err());
    if (run.status() != 0) {
      throw new IllegalArgumentException(run.err());
    }
    return run.status();
  }

  @Test
  void sideInputAndShuffleGiveTheSameOutputs(@TempDir Path dir) throws Exception {
    Path side = dir.resolve("side");
    Path shuffle = dir.resolve("shuffle");
    String[] common = {
      "--input=sample-data/glove/sentences.jsonl",
      "--embeddings=sample-data/glove/vectors.txt",
      "--heads=2"
    };
    run(concat(common, "--output=" + side, "--embeddingJoin=side"));
    run(concat(common, "--output=" + shuffle, "--embeddingJoin=shuffle"));

    for (String kind : new String[] {"contextual", "attention", "errors"}) {
      List<String> a = OutputFiles.lines(side, kind);
      assertTrue(!a.isEmpty(), kind);
      assertEquals(a, OutputFiles.lines(shuffle, kind), kind);
    }
    JsonNode a = JSON.readTree(side.resolve("run.json").toFile());
    JsonNode b = JSON.readTree(shuffle.resolve("run.json").toFile());
    assertEquals(a.get("counts"), b.get("counts"));
    assertEquals("side", a.get("options").get("embeddingJoin").asText());
    assertEquals("shuffle", b.get("options").get("embeddingJoin").asText());
    JsonNode counts = a.get("counts");
    assertEquals(200, counts.get("sentencesRead").asInt());
    assertEquals(500, counts.get("tableRows").asInt());
    assertEquals(
        counts.get("sentencesRead").asInt(),
        counts.get("sentencesWritten").asInt() + counts.get("errors").asInt());
    assertTrue(counts.get("errors").asInt() > 0, "the sample has unknown tokens");
    for (String error : OutputFiles.lines(side, "errors")) {
      assertTrue(
          JSON.readTree(error).get("error").asText().contains("not in the embeddings table"),
          error);
    }
  }

  @Test
  void unknownTokensLowercaseOwnEmbeddingsAndTableProblems(@TempDir Path dir) throws Exception {
    Path table = dir.resolve("table.vec.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(table))) {
      out.write(
          "4 2\nthe 1 0\ncat 0 1\ncat 5 5\nmat 0.5 x\nsat 1 1 1\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    Path input = dir.resolve("in.jsonl");
    Files.write(
        input,
        List.of(
            "{\"id\": \"a\", \"tokens\": [\"The\", \"CAT\"]}",
            "{\"id\": \"b\", \"tokens\": [\"the\", \"dog\", \"cat\"]}",
            "{\"id\": \"c\", \"tokens\": [\"own\"], \"embeddings\": [[3, 4]]}"));
    for (String oov : new String[] {"error", "zero", "skip"}) {
      for (String join : new String[] {"side", "shuffle"}) {
        Path out = dir.resolve(oov + "-" + join);
        run(
            "--input=" + input,
            "--embeddings=" + table,
            "--lowercase",
            "--oov=" + oov,
            "--embeddingJoin=" + join,
            "--output=" + out);
        JsonNode counts = JSON.readTree(out.resolve("run.json").toFile()).get("counts");
        assertEquals(1, counts.get("unknownTokens").asInt(), oov + " " + join);
        assertEquals(3, counts.get("tableProblems").asInt());
        assertEquals(3, OutputFiles.lines(out, "table-errors").size());
        List<String> ids = new ArrayList<>();
        for (String line : OutputFiles.lines(out, "contextual")) {
          ids.add(JSON.readTree(line).get("id").asText());
        }
        Collections.sort(ids);
        assertEquals(oov.equals("error") ? List.of("a", "c") : List.of("a", "b", "c"), ids, oov);
        if (oov.equals("skip")) {
          String b =
              OutputFiles.lines(out, "contextual").stream()
                  .filter(l -> l.contains("\"b\""))
                  .findFirst()
                  .get();
          assertEquals(2, JSON.readTree(b).get("tokens").size());
        }
      }
    }
    String problems =
        String.join("\n", OutputFiles.lines(dir.resolve("error-side"), "table-errors"));
    assertTrue(problems.contains("embeddings table line 4: duplicate token 'cat'"), problems);
    assertTrue(problems.contains("line 5: value 1 of 'mat' is not a number: x"), problems);
    assertTrue(problems.contains("line 6: 'sat' has 3 values, expected 2"), problems);
    assertTrue(problems.contains("table.vec.gz"), "names the file");
  }

  @Test
  void aTokenInTwoTableFilesGetsTheSameVectorBothWays(@TempDir Path dir) throws Exception {
    Path tables = Files.createDirectories(dir.resolve("tables"));
    Files.writeString(tables.resolve("a.txt"), "the 1 0\ncat 0 1\n");
    Files.writeString(tables.resolve("b.txt"), "cat 0.5 0.5\nmat 1 1\n");
    Path input = dir.resolve("in.jsonl");
    Files.write(input, List.of("{\"id\": \"a\", \"tokens\": [\"the\", \"cat\", \"mat\"]}"));
    Path side = dir.resolve("side");
    Path shuffle = dir.resolve("shuffle");
    String table = "--embeddings=" + tables + "/*.txt";
    run("--input=" + input, table, "--embeddingJoin=side", "--output=" + side);
    run("--input=" + input, table, "--embeddingJoin=shuffle", "--output=" + shuffle);
    assertEquals(OutputFiles.lines(side, "contextual"), OutputFiles.lines(shuffle, "contextual"));
    assertEquals(1, OutputFiles.lines(side, "contextual").size());
    // The duplicate's winner is the vector that sorts first: [0, 1] before [0.5, 0.5].
    EmbeddingTable t =
        new EmbeddingTable.Builder(2)
            .add("cat", new double[] {0.5, 0.5})
            .add("cat", new double[] {0, 1})
            .build();
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0, 1}, t.vector("cat"));
  }

  @Test
  void aTableThatDoesNotFitTheWeightsStopsTheJob(@TempDir Path dir) {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                run(
                    "--input=sample-data/glove/sentences.jsonl",
                    "--embeddings=sample-data/glove/vectors.txt",
                    "--dModel=4",
                    "--output=" + dir));
    assertEquals(
        "beam-attention: --embeddings has vectors of 8 values but the weights need d_model = 4",
        e.getMessage());
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
