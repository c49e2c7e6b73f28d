package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.testing.OutputFiles;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's output bytes on fixed inputs, against digests checked in under {@code
 * src/test/resources/digests/}: a restructuring or a speed-up that changes one byte of any output
 * fails here. Lines are sorted per file kind (sharding is the runner's choice), absolute paths are
 * replaced by {@code $ROOT} and {@code $OUT}, and weights.npz is compared entry by entry (zip
 * entries carry the time of writing). Run with {@code -Ddigests.update=true} to write the file anew
 * after a change that is meant to alter outputs, and say so in the commit.
 */
class OutputDigestTest {
  private static final Path EXPECTED = Path.of("src/test/resources/digests/outputs.txt");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] KINDS = {"contextual", "attention", "errors", "table-errors"};

  /** Name and arguments of each run; the output folder is added. */
  private static final String[][] CASES = {
    {"corpus", "--input=sample-data/corpus/*.jsonl.gz", "--heads=2"},
    {
      "worked-example",
      "--input=sample-data/worked-example/sentences.jsonl",
      "--weights=sample-data/worked-example/weights.json",
      "--scale=none"
    },
    {
      "glove-side-mean-causal",
      "--input=sample-data/glove/sentences.jsonl",
      "--embeddings=sample-data/glove/vectors.txt",
      "--heads=2",
      "--oov=zero",
      "--attention=mean",
      "--causal",
      "--heatmaps=2"
    },
    {
      "glove-shuffle-skip",
      "--input=sample-data/glove/sentences.jsonl",
      "--embeddings=sample-data/glove/vectors.txt",
      "--embeddingJoin=shuffle",
      "--oov=skip",
      "--lowercase",
      "--heads=4",
      "--seed=7"
    },
    {
      "glove-errors",
      "--input=sample-data/glove/sentences.jsonl",
      "--embeddings=sample-data/glove/vectors.txt",
      "--heads=1"
    },
    {
      "cat-shards-none",
      "--input=sample-data/cat/sentences.jsonl",
      "--heads=2",
      "--numShards=2",
      "--attention=none"
    },
    {"cat-heatmaps", "--input=sample-data/cat/sentences.jsonl", "--heads=2", "--heatmaps=1"},
    {"bad-lines", "--input=src/test/resources/digests/mixed.jsonl", "--heads=2", "--maxTokens=5"},
    {
      "bad-table",
      "--input=src/test/resources/digests/tokens.jsonl",
      "--embeddings=src/test/resources/digests/table.vec",
      "--oov=zero",
      "--lowercase",
      "--heads=2"
    },
    {
      "bad-table-shuffle",
      "--input=src/test/resources/digests/tokens.jsonl",
      "--embeddings=src/test/resources/digests/table.vec",
      "--embeddingJoin=shuffle",
      "--heads=2"
    },
  };

  @Test
  void outputsMatchTheCheckedInDigests(@TempDir Path tmp) throws Exception {
    StringBuilder actual = new StringBuilder();
    for (String[] c : CASES) {
      Path out = tmp.resolve(c[0]);
      List<String> args = new ArrayList<>(List.of(c).subList(1, c.length));
      args.add("--output=" + out);
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          AttentionJob.runMain(
              args.toArray(new String[0]),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      actual.append(c[0]).append(" exit ").append(status).append('\n');
      assertTrue(status == 0 || status == 3, c[0] + ": " + err.toString(StandardCharsets.UTF_8));
      digest(c[0], out, actual);
    }
    if (Boolean.getBoolean("digests.update")) {
      Files.createDirectories(EXPECTED.getParent());
      Files.writeString(EXPECTED, actual.toString());
    }
    assertEquals(Files.readString(EXPECTED), actual.toString());
  }

  private static void digest(String name, Path out, StringBuilder to) throws Exception {
    String root = Path.of("").toAbsolutePath().toString();
    for (String kind : KINDS) {
      List<String> lines = new ArrayList<>();
      for (String line : OutputFiles.lines(out, kind)) {
        lines.add(line.replace(out.toString(), "$OUT").replace(root, "$ROOT"));
      }
      lines.sort(null);
      to.append(name).append(' ').append(kind).append(' ').append(lines.size()).append(' ');
      to.append(sha256(String.join("\n", lines).getBytes(StandardCharsets.UTF_8))).append('\n');
    }
    Path heatmaps = out.resolve("heatmaps");
    if (Files.isDirectory(heatmaps)) {
      try (Stream<Path> files = Files.list(heatmaps)) {
        for (Path f : (Iterable<Path>) files.sorted()::iterator) {
          to.append(name).append(" heatmaps/").append(f.getFileName()).append(' ');
          to.append(sha256(Files.readAllBytes(f))).append('\n');
        }
      }
    }
    JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
    for (String part :
        new String[] {
          "state", "counts", "errorsByReason", "sentenceLength", "weights", "options"
        }) {
      String text = run.get(part).toString().replace(out.toString(), "$OUT").replace(root, "$ROOT");
      to.append(name).append(" run.json/").append(part).append(' ').append(text).append('\n');
    }
    try (InputStream in = Files.newInputStream(out.resolve("weights.npz"));
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        to.append(name).append(" weights.npz/").append(e.getName()).append(' ');
        to.append(sha256(zip.readAllBytes())).append('\n');
      }
    }
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
