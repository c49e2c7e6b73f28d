package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.testing.OutputFiles;
import dev.beamattention.weights.HostileNpzTest;
import dev.beamattention.weights.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile inputs of issue 14, built here and small on disk: a file that breaks part way costs
 * only its tail, a hostile size ends in one line and exit 2 (or an error record when it is one
 * line's), and invalid UTF-8 is an error record.
 */
class HostileInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(int status, String out, String err) {
    static Run of(String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          AttentionJob.runMain(
              args,
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Run(
          status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  private static String sentence(String id) {
    return "{\"id\": \"" + id + "\", \"tokens\": [\"a\", \"b\"], \"embeddings\": [[1, 2], [3, 4]]}";
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static String lines(String prefix, int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append(sentence(prefix + i)).append('\n');
    }
    return text.toString();
  }

  private static List<JsonNode> records(Path out, String kind) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    for (String line : OutputFiles.lines(out, kind)) {
      records.add(JSON.readTree(line));
    }
    return records;
  }

  /** Asserts exit 2 and exactly one line on stderr, which starts with {@code start}. */
  private static String refused(String start, String... args) {
    Run run = Run.of(args);
    assertEquals(2, run.status(), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().startsWith("beam-attention: " + start), run.err());
    assertFalse(run.err().contains("null"), run.err());
    return run.err().strip();
  }

  @Test
  void compressedFilesThatBreakKeepTheirLinesAndTheJobGoesOn(@TempDir Path dir) throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    byte[] truncated = gzip(lines("t", 2000));
    Files.write(in.resolve("truncated.jsonl.gz"), Arrays.copyOf(truncated, truncated.length / 2));
    byte[] badCrc = gzip(lines("c", 400));
    badCrc[badCrc.length - 6] ^= (byte) 0xff; // the CRC-32 of the trailer
    Files.write(in.resolve("bad-crc.jsonl.gz"), badCrc);
    Files.writeString(in.resolve("good.jsonl"), lines("g", 5));
    Path out = dir.resolve("out");
    Run run = Run.of("--input=" + in + "/*", "--output=" + out, "--maxErrorShare=1");
    assertEquals(0, run.status(), run.err());

    List<JsonNode> errors = records(out, "errors");
    assertEquals(2, errors.size(), errors.toString());
    for (JsonNode e : errors) {
      assertTrue(
          e.get("error")
              .asText()
              .matches(
                  "the file cannot be read past line \\d+, byte \\d+ of its text"
                      + " \\(.+\\); the lines before it were read"),
          e.toString());
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode c : records(out, "contextual")) {
      ids.add(c.get("id").asText());
    }
    long fromTruncated = ids.stream().filter(id -> id.startsWith("t")).count();
    assertTrue(fromTruncated > 500, "lines before the break: " + fromTruncated);
    for (int i = 0; i < fromTruncated; i++) {
      assertTrue(ids.contains("t" + i), "t" + i);
    }
    // A bad CRC is found after the last byte: every line came through, then the record.
    assertEquals(400, ids.stream().filter(id -> id.startsWith("c")).count());
    assertEquals(5, ids.stream().filter(id -> id.startsWith("g")).count());
    JsonNode truncatedError =
        errors.stream()
            .filter(e -> e.get("source").asText().endsWith("truncated.jsonl.gz"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        truncatedError
            .get("error")
            .asText()
            .startsWith("the file cannot be read past line " + (fromTruncated + 1) + ","),
        truncatedError.toString());
    assertTrue(
        errors.stream().anyMatch(e -> e.get("source").asText().endsWith("bad-crc.jsonl.gz")));

    JsonNode manifest = JSON.readTree(out.resolve("run.json").toFile());
    JsonNode counts = manifest.get("counts");
    assertEquals(
        counts.get("sentencesRead").asLong(),
        counts.get("sentencesWritten").asLong() + counts.get("errors").asLong());
    assertEquals(2, manifest.get("errorsByReason").get("brokenFile").asInt());
  }

  @Test
  void aTableWithABadRowOrABrokenEndKeepsItsGoodRows(@TempDir Path dir) throws IOException {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(
        input,
        "{\"id\": \"a\", \"tokens\": [\"the\", \"cat\"]}\n{\"id\": \"b\", \"tokens\": [\"w1\"]}\n");
    // A GloVe table whose second row is not UTF-8 (C3 28).
    Path table = dir.resolve("table.txt");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("the 1 0\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {'c', (byte) 0xC3, '(', ' ', '0', ' ', '1', '\n'});
    bytes.writeBytes("cat 0 1\n".getBytes(StandardCharsets.UTF_8));
    Files.write(table, bytes.toByteArray());
    Path out = dir.resolve("out");
    Run run = Run.of("--input=" + input, "--embeddings=" + table, "--output=" + out, "--oov=zero");
    assertEquals(0, run.status(), run.err());
    assertEquals(2, OutputFiles.lines(out, "contextual").size());
    List<JsonNode> problems = records(out, "table-errors");
    assertEquals(1, problems.size());
    assertEquals("embeddings table line 2: not valid UTF-8", problems.get(0).get("error").asText());

    // A .gz table cut in half: its rows before the cut serve, the cut is one table error.
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      rows.append('w').append(i).append(' ').append(i).append(" 1\n");
    }
    byte[] gz = gzip(rows.toString());
    Path cut = dir.resolve("cut.txt.gz");
    Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
    Path out2 = dir.resolve("out2");
    Run broken =
        Run.of("--input=" + input, "--embeddings=" + cut, "--output=" + out2, "--oov=zero");
    assertEquals(0, broken.status(), broken.err());
    List<JsonNode> cutProblems = records(out2, "table-errors");
    assertEquals(1, cutProblems.size());
    assertTrue(
        cutProblems
            .get(0)
            .get("error")
            .asText()
            .matches(
                "embeddings table line \\d+: the file breaks here, \\d+ bytes in \\(.+\\); the rows"
                    + " before were read"),
        cutProblems.toString());
    JsonNode b =
        records(out2, "contextual").stream()
            .filter(c -> c.get("id").asText().equals("b"))
            .findFirst()
            .orElseThrow();
    assertEquals(1, b.get("tokens").size());
    JsonNode counts = JSON.readTree(out2.resolve("run.json").toFile()).get("counts");
    assertTrue(counts.get("tableRows").asLong() > 100, counts.toString());
  }

  @Test
  void hostileSizesEndInOneLineBeforeAnythingIsAllocated(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("good.jsonl");
    Files.writeString(good, sentence("s") + "\n");
    String in = "--input=" + good;
    String out = "--output=" + dir.resolve("out");

    // A first line 20,000 wide with no --weights: d_model would be taken from it.
    Path wide = dir.resolve("wide.jsonl");
    Files.writeString(
        wide, "{\"tokens\": [\"a\"], \"embeddings\": [[" + "0,".repeat(19_999) + "0]]}\n");
    assertEquals(
        "beam-attention: the first sentence of --input is 20000 values wide, more than the d_model"
            + " of 16384 the job allows",
        refused("the first sentence", "--input=" + wide, out));
    refused("--dModel must be at most 16384, got 20000", in, out, "--dModel=20000");
    refused(
        "--maxAttentionCells must be at most 268435456, got 10000000000",
        in,
        out,
        "--maxAttentionCells=10000000000");

    // A table whose first row has 25 million values: 50 MB of text, 50 KB gzipped.
    Path table = dir.resolve("huge-row.txt.gz");
    try (OutputStream t = new GZIPOutputStream(Files.newOutputStream(table))) {
      t.write("big".getBytes(StandardCharsets.US_ASCII));
      byte[] block = " 0".repeat(1 << 19).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 25_000_000 / (1 << 19); i++) {
        t.write(block);
      }
      t.write(" 0".repeat(25_000_000 % (1 << 19)).getBytes(StandardCharsets.US_ASCII));
      t.write('\n');
    }
    assertTrue(Files.size(table) < 200_000);
    refused(
        "--embeddings: "
            + table
            + ": line 1 has 50000003 bytes, more than the 4194304 a table line"
            + " may have",
        in,
        out,
        "--embeddings=" + table);

    // A 1.7 KB .npz whose header claims 16383 x 16383 doubles.
    Path claims = dir.resolve("claims.npz");
    Files.write(
        claims, HostileNpzTest.npz("w_q", HostileNpzTest.header("16383, 16383"), 1536, true));
    assertTrue(Files.size(claims) < 1800);
    refused(
        "weights "
            + claims
            + ": array 'w_q': header claims 16383 x 16383 values, more than the"
            + " 67108864 a weights array may hold",
        in,
        out,
        "--weights=" + claims);

    // A zip bomb: deflated zeros under a header that claims 2 GiB (64 MiB of them here).
    Path bomb = dir.resolve("bomb.npz");
    Files.write(
        bomb, HostileNpzTest.npz("w_q", HostileNpzTest.header("16383, 16383"), 64L << 20, false));
    refused(
        "weights " + bomb + ": array 'w_q': header claims 16383 x 16383",
        in,
        out,
        "--weights=" + bomb);

    // A valid array followed by zeros its header does not need (8 GiB in the issue).
    ByteArrayOutputStream valid = new ByteArrayOutputStream();
    Npy.write(valid, new Npy.Array(new int[] {2, 2}, new double[] {1, 0, 0, 1}));
    Path padded = dir.resolve("padded.npz");
    Files.write(padded, HostileNpzTest.npz("w_q", valid.toByteArray(), 64L << 20, false));
    refused(
        "weights "
            + padded
            + ": array 'w_q': holds more bytes than its header's 2 x 2 values need"
            + " (32 bytes of data)",
        in,
        out,
        "--weights=" + padded);

    // A weights file cut short names the file, the array and the cause, never null.
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    Npy.write(whole, new Npy.Array(new int[] {2, 2}, new double[] {1, 0, 0, 1}));
    byte[] archive = HostileNpzTest.npz("w_q", whole.toByteArray(), 0, true);
    Path early = dir.resolve("truncated-early.npz");
    Files.write(early, Arrays.copyOf(archive, 20));
    refused("weights " + early + ": ", in, out, "--weights=" + early);
    Path late = dir.resolve("truncated-late.npz");
    Files.write(late, Arrays.copyOf(archive, archive.length / 2));
    refused("weights " + late + ": array 'w_q': ", in, out, "--weights=" + late);
  }

  @Test
  void anUnwritableOutputIsOneLine(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("good.jsonl");
    Files.writeString(good, sentence("s") + "\n");
    Path file = Files.writeString(dir.resolve("plain.txt"), "not a folder");
    refused(
        "cannot write into --output=" + file.resolve("out") + ": ",
        "--input=" + good,
        "--output=" + file.resolve("out"));
  }

  @Test
  void aHundredThousandTokenLineBecomesAnErrorRecord(@TempDir Path dir) throws IOException {
    StringBuilder line = new StringBuilder("{\"id\": \"long\", \"tokens\": [");
    for (int i = 0; i < 100_000; i++) {
      line.append(i == 0 ? "\"t\"" : ",\"t\"");
    }
    line.append("], \"embeddings\": [");
    for (int i = 0; i < 100_000; i++) {
      line.append(i == 0 ? "[1]" : ",[1]");
    }
    line.append("]}\n");
    Path input = dir.resolve("in.jsonl");
    Files.writeString(
        input, "{\"id\": \"short\", \"tokens\": [\"t\"], \"embeddings\": [[1]]}\n" + line);
    Path out = dir.resolve("out");
    Run run =
        Run.of("--input=" + input, "--output=" + out, "--maxTokens=100000", "--maxErrorShare=1");
    assertEquals(0, run.status(), run.err());
    List<JsonNode> errors = records(out, "errors");
    assertEquals(1, errors.size());
    assertEquals(
        "a sentence of 100000 tokens needs 100000 x 100000 x 1 attention weights, more than"
            + " --maxAttentionCells=16777216",
        errors.get(0).get("error").asText());
    assertEquals(1, OutputFiles.lines(out, "contextual").size());
  }

  @Test
  void invalidUtf8InALineIsAMalformedRecord(@TempDir Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes((sentence("good") + "\n").getBytes(StandardCharsets.UTF_8));
    // An overlong '/' in an id, and a lone surrogate in a token.
    bytes.writeBytes("{\"id\": \"a".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF});
    bytes.writeBytes(
        "b\", \"tokens\": [\"x\"], \"embeddings\": [[1, 2]]}\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes("{\"id\": \"s\", \"tokens\": [\"".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    bytes.writeBytes("\"], \"embeddings\": [[1, 2]]}\n".getBytes(StandardCharsets.UTF_8));
    Path input = dir.resolve("in.jsonl");
    Files.write(input, bytes.toByteArray());
    Path out = dir.resolve("out");
    Run run = Run.of("--input=" + input, "--output=" + out, "--maxErrorShare=1");
    assertEquals(0, run.status(), run.err());
    List<String> reasons = new ArrayList<>();
    for (JsonNode e : records(out, "errors")) {
      reasons.add(e.get("error").asText());
    }
    reasons.sort(null);
    assertEquals(
        List.of(
            "not valid UTF-8: byte 24 of the line starts ED A0 80 22, no character",
            "not valid UTF-8: byte 9 of the line starts C0 AF 62 22, no character"),
        reasons);
    assertEquals(1, OutputFiles.lines(out, "contextual").size());
    JsonNode manifest = JSON.readTree(out.resolve("run.json").toFile());
    assertEquals(2, manifest.get("errorsByReason").get("malformed").asInt());
  }
}
