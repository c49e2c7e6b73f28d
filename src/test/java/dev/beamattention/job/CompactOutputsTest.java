package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.files.InputFiles;
import dev.beamattention.json.ShortestFloat;
import dev.beamattention.testing.OutputFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --outputPrecision=float32} and {@code --compression=gzip|zstd}, through the whole job. */
class CompactOutputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MIXED = "--input=src/test/resources/digests/mixed.jsonl";
  private static final List<String> KINDS = List.of("contextual", "attention", "errors");

  private static int run(String... args) {
    OutputFiles.JobRun run = OutputFiles.runJob(args);
    assertEquals(0, run.status(), run.err());
    return run.status();
  }

  private static String refusal(String... args) {
    OutputFiles.JobRun run = OutputFiles.runJob(args);
    assertEquals(2, run.status(), run.err());
    return run.err();
  }

  private static List<String> names(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    }
    Collections.sort(names);
    return names;
  }

  // Every line of every KIND-* file, read back through InputFiles as the job reads its input.
  private static List<String> decompressedLines(Path dir, String kind, String suffix)
      throws IOException {
    List<String> lines = new ArrayList<>();
    for (String name : names(dir)) {
      if (name.startsWith(kind + "-")
          && name.matches(".*-of-\\d{5}" + suffix.replace(".", "\\."))) {
        try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(
                    InputFiles.open(
                        FileSystems.matchNewResource(dir.resolve(name).toString(), false)),
                    StandardCharsets.UTF_8))) {
          reader.lines().forEach(lines::add);
        }
      }
    }
    Collections.sort(lines);
    return lines;
  }

  @Test
  void float32WritesEachNumberAsTheShortestDecimalOfItsFloat(@TempDir Path dir) throws IOException {
    Path exact = dir.resolve("float64");
    Path compact = dir.resolve("float32");
    run(MIXED, "--heads=2", "--output=" + exact);
    run(MIXED, "--heads=2", "--outputPrecision=float32", "--output=" + compact);

    for (String kind : List.of("contextual", "attention")) {
      List<String> wide = OutputFiles.lines(exact, kind);
      List<String> narrow = OutputFiles.lines(compact, kind);
      assertEquals(wide.size(), narrow.size());
      assertTrue(wide.size() > 0);
      int numbers = 0;
      for (int i = 0; i < wide.size(); i++) {
        JsonNode a = JSON.readTree(wide.get(i));
        JsonNode b = JSON.readTree(narrow.get(i));
        assertEquals(a.get("id"), b.get("id"));
        assertEquals(a.get("tokens"), b.get("tokens"));
        String field = kind.equals("contextual") ? "output" : "weights";
        numbers += sameAsFloats(a.get(field), b.get(field), narrow.get(i));
      }
      assertTrue(numbers > 100, kind + ": " + numbers);
      long wideBytes = String.join("\n", wide).length();
      long narrowBytes = String.join("\n", narrow).length();
      assertTrue(narrowBytes < 0.7 * wideBytes, kind + ": " + narrowBytes + " of " + wideBytes);
    }
    // Error records carry their input as it was.
    assertEquals(OutputFiles.lines(exact, "errors"), OutputFiles.lines(compact, "errors"));
    JsonNode options = JSON.readTree(compact.resolve("run.json").toFile()).get("options");
    assertEquals("float32", options.get("outputPrecision").asText());
    assertFalse(
        JSON.readTree(exact.resolve("run.json").toFile()).get("options").has("outputPrecision"));
  }

  // Each float32 number is the float nearest the float64 one, written as ShortestFloat writes it.
  private static int sameAsFloats(JsonNode wide, JsonNode narrow, String line) {
    if (wide.isArray()) {
      assertEquals(wide.size(), narrow.size(), line);
      int count = 0;
      for (int i = 0; i < wide.size(); i++) {
        count += sameAsFloats(wide.get(i), narrow.get(i), line);
      }
      return count;
    }
    float expected = (float) wide.doubleValue();
    String text = narrow.asText();
    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(Float.parseFloat(text)));
    assertTrue(line.contains(ShortestFloat.toString(expected)), text);
    return 1;
  }

  @Test
  void compressedOutputsHoldTheSameLinesUnderTheCodecsEnding(@TempDir Path dir) throws IOException {
    Path plain = dir.resolve("none");
    run(MIXED, "--heads=2", "--output=" + plain);
    for (String codec : List.of("gzip", "zstd")) {
      String suffix = codec.equals("gzip") ? ".jsonl.gz" : ".jsonl.zst";
      for (String shards : List.of("--numShards=0", "--numShards=2")) {
        // numShards=0 writes through the bundle sink, 2 through TextIO: both compress.
        Path out = dir.resolve(codec + shards.substring(shards.indexOf('=') + 1));
        run(MIXED, "--heads=2", "--compression=" + codec, shards, "--output=" + out);
        for (String name : names(out)) {
          if (!name.equals("run.json") && !name.equals("weights.npz")) {
            assertTrue(name.endsWith(suffix), name);
          }
        }
        if (shards.endsWith("2")) {
          assertTrue(names(out).contains("contextual-00001-of-00002" + suffix), names(out) + "");
        }
        for (String kind : KINDS) {
          assertEquals(
              OutputFiles.lines(plain, kind),
              decompressedLines(out, kind, suffix),
              codec + " " + shards + " " + kind);
        }
        JsonNode options = JSON.readTree(out.resolve("run.json").toFile()).get("options");
        assertEquals(codec, options.get("compression").asText());
      }
    }
    assertFalse(
        JSON.readTree(plain.resolve("run.json").toFile()).get("options").has("compression"));
  }

  @Test
  void theJobReadsZstdInputAsItReadsGzip(@TempDir Path dir) throws IOException {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    // The sample corpus recompressed with Beam's zstd, as --compression=zstd writes.
    try (InputStream gz =
            InputFiles.open(
                FileSystems.matchNewResource("sample-data/corpus/sentences.jsonl.gz", false));
        OutputStream zst =
            Channels.newOutputStream(
                Compression.ZSTD.writeCompressed(
                    Channels.newChannel(
                        Files.newOutputStream(in.resolve("sentences.jsonl.zst")))))) {
      gz.transferTo(zst);
    }
    Path fromGz = dir.resolve("gz");
    Path fromZst = dir.resolve("zst");
    run("--input=sample-data/corpus/*.jsonl.gz", "--heads=2", "--output=" + fromGz);
    run("--input=" + in + "/*.jsonl.zst", "--heads=2", "--output=" + fromZst);
    for (String kind : KINDS) {
      assertEquals(OutputFiles.lines(fromGz, kind), OutputFiles.lines(fromZst, kind), kind);
    }
  }

  @Test
  void compressedOutputsAreAnEarlierRunToRefuseOrReplace(@TempDir Path dir) throws IOException {
    String out = "--output=" + dir;
    run(MIXED, "--heads=2", "--compression=gzip", "--numShards=2", out);
    Files.writeString(dir.resolve("contextual-notes.jsonl.gz"), "mine");
    assertTrue(refusal(MIXED, "--heads=2", out).contains("holds an earlier run's outputs"));

    run(MIXED, "--heads=2", "--compression=zstd", "--overwrite", out);
    List<String> names = names(dir);
    assertTrue(names.contains("contextual-notes.jsonl.gz"), names + "");
    for (String name : names) {
      assertFalse(name.endsWith("-of-00002.jsonl.gz"), name);
    }
    assertTrue(names.contains("contextual-00000-of-00001.jsonl.zst"), names + "");

    // An input glob that would read the compressed outputs is refused too.
    Files.copy(Path.of("sample-data/cat/sentences.jsonl"), dir.resolve("in.jsonl"));
    assertTrue(
        refusal("--input=" + dir + "/*", "--output=" + dir, "--overwrite")
            .contains("would match the outputs"));
  }

  @Test
  void unknownPrecisionOrCodecIsOneLine(@TempDir Path dir) {
    assertEquals(
        "beam-attention: --outputPrecision must be float64 or float32, got 'float16'",
        refusal(MIXED, "--output=" + dir, "--outputPrecision=float16"));
    assertEquals(
        "beam-attention: --compression must be none, gzip or zstd, got 'bzip2'",
        refusal(MIXED, "--output=" + dir, "--compression=bzip2"));
  }
}
