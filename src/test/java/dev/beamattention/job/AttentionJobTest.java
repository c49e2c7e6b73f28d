package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.core.AttentionParameters;
import dev.beamattention.weights.RandomWeights;
import dev.beamattention.weights.WeightsFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's main on sample-data and on bad options, into temporary folders. */
class AttentionJobTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final class Run {
    final int status;
    final String out;
    final String err;

    Run(String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      this.status =
          AttentionJob.runMain(
              args,
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      this.out = out.toString(StandardCharsets.UTF_8);
      this.err = err.toString(StandardCharsets.UTF_8);
    }
  }

  static List<JsonNode> records(Path dir, String kind) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith(kind + "-") && name.endsWith(".jsonl")) {
          for (String line : Files.readAllLines(f)) {
            records.add(JSON.readTree(line));
          }
        }
      }
    }
    return records;
  }

  @Test
  void runsTheSampleCorpus(@TempDir Path dir) throws IOException {
    Run run = new Run("--input=sample-data/corpus/*.jsonl.gz", "--output=" + dir, "--heads=2");
    assertEquals(0, run.status, run.err);

    List<JsonNode> contextual = records(dir, "contextual");
    List<JsonNode> attention = records(dir, "attention");
    assertEquals(3000, contextual.size());
    assertEquals(3000, attention.size());
    assertEquals(0, records(dir, "errors").size());
    JsonNode first = contextual.get(0);
    int n = first.get("tokens").size();
    assertEquals(n, first.get("output").size());
    assertEquals(8, first.get("output").get(0).size());

    JsonNode manifest = JSON.readTree(dir.resolve("run.json").toFile());
    JsonNode counts = manifest.get("counts");
    assertEquals(3000, counts.get("sentencesRead").asLong());
    assertEquals(3000, counts.get("sentencesWritten").asLong());
    assertEquals(0, counts.get("errors").asLong());
    long tokens = 0;
    for (JsonNode c : contextual) {
      tokens += c.get("tokens").size();
    }
    assertEquals(tokens, counts.get("tokens").asLong());
    assertEquals("DirectRunner", manifest.get("runner").asText());
    assertEquals(8, manifest.get("weights").get("dModel").asInt());

    // The weights written are the seeded ones and load back as --weights.
    AttentionParameters written;
    try (InputStream in = Files.newInputStream(dir.resolve("weights.npz"))) {
      written = WeightsFiles.read(in, "weights.npz", 2);
    }
    assertEquals(RandomWeights.xavier(8, 2, 0, 0, 42).asMap().keySet(), written.asMap().keySet());
    assertTrue(
        Arrays.deepEquals(
            RandomWeights.xavier(8, 2, 0, 0, 42).wQ().getData(), written.wQ().getData()));
  }

  @Test
  void theWorkedExampleComesBackThroughTheWholeJob(@TempDir Path dir) throws IOException {
    Run run =
        new Run(
            "--input=sample-data/worked-example/sentences.jsonl",
            "--weights=sample-data/worked-example/weights.json",
            "--scale=none",
            "--output=" + dir);
    assertEquals(0, run.status, run.err);
    JsonNode printed;
    try (InputStream in = getClass().getResourceAsStream("/worked-example.json")) {
      printed = JSON.readTree(in).get("printed");
    }
    JsonNode contextual = records(dir, "contextual").get(0);
    JsonNode weights = records(dir, "attention").get(0).get("weights").get(0);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(
            printed.get("output").get(r).get(c).asDouble(),
            contextual.get("output").get(r).get(c).asDouble(),
            1e-7);
        assertEquals(
            printed.get("attention_weights").get(r).get(c).asDouble(),
            weights.get(r).get(c).asDouble(),
            1e-7);
      }
    }
  }

  @Test
  void mixedGoodAndBadLinesAllLandOnceAndTheCountsAddUp(@TempDir Path dir) throws IOException {
    List<String> good = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      good.add(
          "{\"id\": \"good-"
              + i
              + "\", \"tokens\": [\"a\", \"b\"], \"embeddings\": [["
              + i
              + ", 1, 0], [0.5, -1, "
              + (i % 7)
              + "]]}");
    }
    List<String> bad =
        List.of(
            "not json at all",
            "{\"id\": \"wide\", \"tokens\": [\"a\"], \"embeddings\": [[1, 2, 3, 4]]}",
            "{\"id\": \"short\", \"tokens\": [\"a\", \"b\"], \"embeddings\": [[1, 2, 3], [1, 2]]}",
            "{\"id\": \"nan\", \"tokens\": [\"a\"], \"embeddings\": [[1, NaN, 3]]}",
            "{\"id\": \"none\", \"tokens\": []}",
            "{\"id\": \"long\", \"tokens\": [\"a\"], \"embeddings\": [[1, 2, 3]], \"pad\": \""
                + "x".repeat(3000)
                + "\"}",
            "{\"id\": \"many\", \"tokens\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"], \"embeddings\": [[1,2,3]]}");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < good.size(); i++) {
      lines.add(good.get(i));
      if (i % 6 == 0) {
        lines.add(bad.get(i / 6));
        lines.add("");
      }
    }
    Path input = dir.resolve("mixed.jsonl");
    Files.write(input, lines);
    Path out = dir.resolve("out");

    Run run =
        new Run(
            "--input=" + input,
            "--output=" + out,
            "--weights=sample-data/worked-example/weights.json",
            "--maxLineBytes=2000",
            "--maxTokens=5",
            "--attention=mean");
    assertEquals(0, run.status, run.err);

    Set<String> ids = new HashSet<>();
    for (JsonNode c : records(out, "contextual")) {
      assertTrue(ids.add(c.get("id").asText()), "duplicate " + c.get("id"));
    }
    Set<String> expectedIds = new HashSet<>();
    for (int i = 0; i < good.size(); i++) {
      expectedIds.add("good-" + i);
    }
    assertEquals(expectedIds, ids);
    List<JsonNode> errors = records(out, "errors");
    Set<String> inputs = new HashSet<>();
    for (JsonNode e : errors) {
      assertTrue(!e.get("error").asText().isEmpty());
      inputs.add(e.get("input").asText());
    }
    Set<String> expectedInputs = new HashSet<>();
    for (String b : bad) {
      expectedInputs.add(b.length() > 10_000 ? b.substring(0, 10_000) : b);
    }
    assertEquals(expectedInputs, inputs);
    for (JsonNode a : records(out, "attention")) {
      assertEquals(1, a.get("weights").size(), "mean mode writes one matrix");
    }

    JsonNode counts = JSON.readTree(out.resolve("run.json").toFile()).get("counts");
    assertEquals(good.size() + bad.size(), counts.get("sentencesRead").asLong());
    assertEquals(good.size(), counts.get("sentencesWritten").asLong());
    assertEquals(bad.size(), counts.get("errors").asLong());
  }

  @Test
  void unusableOptionsFailFastWithOneLine(@TempDir Path dir) {
    String in = "--input=sample-data/cat/sentences.jsonl";
    String out = "--output=" + dir;
    assertRefused("--heads must be at least 1, got 0", in, out, "--heads=0");
    assertRefused("--rangesPerFile must be at least 0, got -1", in, out, "--rangesPerFile=-1");
    assertRefused(
        "--scale must be auto, none or a positive number, got 'big'", in, out, "--scale=big");
    assertRefused("--attention must be heads, mean or none, got 'all'", in, out, "--attention=all");
    assertRefused(
        "--maxErrorShare must be a share from 0 to 1, got 1.5", in, out, "--maxErrorShare=1.5");
    assertRefused("--heads must be a whole number, got 'two'", in, out, "--heads=two");
    assertRefused(
        "--input=nothing/here*.jsonl matches no file", "--input=nothing/here*.jsonl", out);
    assertRefused(
        "d_model = 8 is not divisible by 3 heads: choose another --heads or give --dK and --dV",
        in,
        out,
        "--heads=3");
    Run missing = new Run(in, out, "--weights=" + dir.resolve("absent.npz"));
    assertEquals(2, missing.status);
    assertTrue(missing.err.startsWith("beam-attention: weights "), missing.err);
    Run noOutput = new Run(in);
    assertEquals(2, noOutput.status);
    assertEquals(1, noOutput.err.strip().lines().count(), noOutput.err);
  }

  @Test
  void aRunThatWritesNoSentenceExitsWithThreeAndSaysWhy(@TempDir Path dir) throws IOException {
    // The worked example's weights are 3 wide; the cat sentence is 8 wide.
    Run run =
        new Run(
            "--input=sample-data/cat/sentences.jsonl",
            "--weights=sample-data/worked-example/weights.json",
            "--output=" + dir);
    assertEquals(AttentionJob.TOO_MANY_ERRORS, run.status, run.err);
    assertTrue(run.err.contains("1 of 1 sentences became error records"), run.err);
    assertTrue(run.err.contains("  1 widthMismatch: "), run.err);
    assertTrue(run.err.contains("no sentence was written"), run.err);
    JsonNode manifest = JSON.readTree(dir.resolve("run.json").toFile());
    assertEquals(1, manifest.get("errorsByReason").get("widthMismatch").asInt());
    assertEquals(1, manifest.get("counts").get("widthMismatches").asInt());
    assertEquals(0, manifest.get("counts").get("malformedLines").asInt());
    assertEquals(1, records(dir, "errors").size());
  }

  @Test
  void anErrorShareAboveTheLimitExitsWithThreeAfterWritingEverything(@TempDir Path dir)
      throws IOException {
    // Looked up lowercased, 24 of the GloVe sample's 200 sentences have tokens the table lacks
    // (12%); as given, 19 more whose first word is capitalized do too (21.5%).
    String[] args = {
      "--input=sample-data/glove/sentences.jsonl",
      "--embeddings=sample-data/glove/vectors.txt",
      "--maxErrorShare=0.1",
      "--output=" + dir.resolve("strict"),
      "--lowercase"
    };
    Run strict = new Run(args);
    assertEquals(AttentionJob.TOO_MANY_ERRORS, strict.status, strict.err);
    assertTrue(strict.err.contains("12.0% of the sentences"), strict.err);
    assertEquals(176, records(dir.resolve("strict"), "contextual").size());
    args[2] = "--maxErrorShare=0.2";
    args[3] = "--output=" + dir.resolve("lenient");
    Run lenient = new Run(args);
    assertEquals(AttentionJob.OK, lenient.status, lenient.err);
    assertTrue(lenient.err.contains("  24 unknownTokens: "), lenient.err);
    args[3] = "--output=" + dir.resolve("as-given");
    args[4] = "--lowercase=false";
    Run asGiven = new Run(args);
    assertEquals(AttentionJob.TOO_MANY_ERRORS, asGiven.status, asGiven.err);
    assertTrue(asGiven.err.contains("  43 unknownTokens: "), asGiven.err);
  }

  @Test
  void aFolderWithAnEarlierRunIsRefusedUnlessOverwriteReplacesExactlyThatRun(@TempDir Path dir)
      throws IOException {
    String in = "--input=sample-data/corpus/*.jsonl.gz";
    String out = "--output=" + dir;
    Run first = new Run(in, out, "--heads=2", "--numShards=3", "--heatmaps=2");
    assertEquals(0, first.status, first.err);
    Files.writeString(dir.resolve("notes.txt"), "mine");
    Files.writeString(dir.resolve("contextual-notes.jsonl"), "{\"id\": \"mine\"}\n");

    Run again = new Run(in, out, "--heads=2", "--numShards=2");
    assertEquals(2, again.status, again.err);
    assertTrue(again.err.contains("holds an earlier run's outputs"), again.err);
    assertTrue(again.err.contains("--overwrite"), again.err);
    assertEquals(1, again.err.strip().lines().count(), again.err);
    assertEquals(3001, records(dir, "contextual").size(), "the first run's 3000 and the user's");

    Run replaced =
        new Run(in, out, "--heads=2", "--numShards=2", "--attention=none", "--overwrite");
    assertEquals(0, replaced.status, replaced.err);
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    }
    names.sort(null);
    assertEquals(
        List.of(
            "contextual-00000-of-00002.jsonl",
            "contextual-00001-of-00002.jsonl",
            "contextual-notes.jsonl",
            "errors-00000-of-00002.jsonl",
            "errors-00001-of-00002.jsonl",
            "notes.txt",
            "run.json",
            "weights.npz"),
        names);
    assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    assertEquals(3001, records(dir, "contextual").size(), "the second run's 3000 and the user's");
  }

  @Test
  void anInputGlobThatWouldReadTheOutputsIsRefused(@TempDir Path dir) throws IOException {
    Files.copy(Path.of("sample-data/cat/sentences.jsonl"), dir.resolve("in.jsonl"));
    assertRefused(
        "--input="
            + dir
            + "/*.jsonl would match the outputs written to --output="
            + dir
            + " (contextual-00000-of-00001.jsonl): write them to a folder the input glob does"
            + " not reach",
        "--input=" + dir + "/*.jsonl",
        "--output=" + dir);
    Run apart = new Run("--input=" + dir + "/*.jsonl", "--output=" + dir.resolve("out"));
    assertEquals(0, apart.status, apart.err);
  }

  @Test
  void sentencesSharingAnIdAreCountedAndWarnedOf(@TempDir Path dir) throws IOException {
    Path input = dir.resolve("in.jsonl");
    String twice = "{\"id\": \"dup\", \"tokens\": [\"a\"], \"embeddings\": [[1, 2]]}";
    String other = "{\"id\": \"dup\", \"tokens\": [\"b\"], \"embeddings\": [[3, 4]]}";
    String alone = "{\"id\": \"x\", \"tokens\": [\"c\"], \"embeddings\": [[5, 6]]}";
    Files.writeString(input, String.join("\n", twice, other, twice, alone) + "\n");
    Run run = new Run("--input=" + input, "--output=" + dir.resolve("out"));
    assertEquals(0, run.status, run.err);
    assertTrue(run.err.contains("warning: 2 sentences written share their id"), run.err);
    JsonNode counts = JSON.readTree(dir.resolve("out/run.json").toFile()).get("counts");
    assertEquals(2, counts.get("duplicateIds").asInt());
    assertEquals(4, counts.get("sentencesWritten").asInt());
  }

  @Test
  void aSentenceWhoseMapsWouldBeTooLargeBecomesAnErrorRecordBeforeTheWork(@TempDir Path dir)
      throws IOException {
    Path input = dir.resolve("in.jsonl");
    String small =
        "{\"id\": \"two\", \"tokens\": [\"a\", \"b\"], \"embeddings\": [[1, 2], [3, 4]]}";
    String large =
        "{\"id\": \"three\", \"tokens\": [\"a\", \"b\", \"c\"],"
            + " \"embeddings\": [[1, 2], [3, 4], [5, 6]]}";
    Files.writeString(input, small + "\n" + large + "\n");
    // Two heads: 2 x 2 x 2 = 8 weights fit in 17, 3 x 3 x 2 = 18 do not.
    Run run =
        new Run(
            "--input=" + input,
            "--output=" + dir.resolve("out"),
            "--heads=2",
            "--maxAttentionCells=17");
    assertEquals(0, run.status, run.err);
    List<JsonNode> errors = records(dir.resolve("out"), "errors");
    assertEquals(1, errors.size());
    assertEquals(
        "a sentence of 3 tokens needs 3 x 3 x 2 attention weights, more than"
            + " --maxAttentionCells=17",
        errors.get(0).get("error").asText());
    assertEquals("two", records(dir.resolve("out"), "contextual").get(0).get("id").asText());
    JsonNode manifest = JSON.readTree(dir.resolve("out/run.json").toFile());
    assertEquals(1, manifest.get("errorsByReason").get("tooLarge").asInt());
  }

  @Test
  void savedWeightsRememberTheirHeads(@TempDir Path dir) throws IOException {
    String in = "--input=sample-data/cat/sentences.jsonl";
    Run first = new Run(in, "--output=" + dir.resolve("a"), "--heads=2");
    assertEquals(0, first.status, first.err);
    String weights = "--weights=" + dir.resolve("a/weights.npz");
    assertRefused(
        "weights "
            + dir.resolve("a/weights.npz")
            + ": the weights were saved for 2 heads, not 4: give --heads=2",
        in,
        "--output=" + dir.resolve("b"),
        weights,
        "--heads=4");
    Run again = new Run(in, "--output=" + dir.resolve("c"), weights, "--heads=2");
    assertEquals(0, again.status, again.err);
    assertEquals(
        records(dir.resolve("a"), "contextual").toString(),
        records(dir.resolve("c"), "contextual").toString());
  }

  private static void assertRefused(String message, String... args) {
    Run run = new Run(args);
    assertEquals(2, run.status, run.err);
    assertEquals("beam-attention: " + message, run.err.strip());
  }

  @Test
  void drawsHeatmapsOfTheSentencesChosenById(@TempDir Path dir) throws IOException {
    Run run =
        new Run(
            "--input=sample-data/corpus/*.jsonl.gz",
            "--output=" + dir,
            "--heads=2",
            "--attention=mean",
            "--heatmapIds=s0000042, s0000007,absent");
    assertEquals(0, run.status, run.err);
    List<String> files;
    try (Stream<Path> list = Files.list(dir.resolve("heatmaps"))) {
      files = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(List.of("000-s0000007-mean.svg", "001-s0000042-mean.svg", "index.html"), files);
    assertTrue(
        Files.readString(dir.resolve("heatmaps/index.html")).contains("2 sentences chosen by id"));
  }

  @Test
  void drawsHeatmapsOfTheSentencesWithTheSmallestIds(@TempDir Path dir) throws IOException {
    Run run =
        new Run(
            "--input=sample-data/corpus/*.jsonl.gz",
            "--output=" + dir,
            "--heads=2",
            "--heatmaps=2");
    assertEquals(0, run.status, run.err);
    Path heatmaps = dir.resolve("heatmaps");
    List<String> files;
    try (Stream<Path> list = Files.list(heatmaps)) {
      files =
          list.map(p -> p.getFileName().toString())
              .sorted()
              .collect(java.util.stream.Collectors.toList());
    }
    assertEquals(
        List.of(
            "000-s0000000-head-0.svg",
            "000-s0000000-head-1.svg",
            "001-s0000001-head-0.svg",
            "001-s0000001-head-1.svg",
            "index.html"),
        files);
    String index = Files.readString(heatmaps.resolve("index.html"));
    for (String f : files.subList(0, 4)) {
      assertTrue(index.contains("<img src=\"" + f + "\""), f);
    }
    assertTrue(!index.contains("http://") && !index.contains("https://"), "nothing fetched");
    assertRefused(
        "--heatmaps draws attention weights: use --attention=heads or mean with it",
        "--input=sample-data/cat/sentences.jsonl",
        "--output=" + dir,
        "--heatmaps=1",
        "--attention=none");
  }

  @Test
  void helpListsTheOptions() {
    Run run = new Run("--help");
    assertEquals(0, run.status);
    assertTrue(run.out.startsWith("Usage: java -jar beam-attention.jar --input="), run.out);
    assertTrue(run.out.contains("Examples:"), run.out);
    for (String option :
        new String[] {"--input", "--weights", "--heads", "--dK", "--scale", "--maxTokens"}) {
      assertTrue(run.out.contains(option), option + " missing from:\n" + run.out);
    }
  }
}
