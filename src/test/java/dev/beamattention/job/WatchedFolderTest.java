package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamattention.testing.OutputFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job watching a folder: files dropped in while it runs are attended and written, and
 * it ends by itself once no new file has come for a while (--stopAfterIdle).
 */
class WatchedFolderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String sentence(String id) {
    return "{\"id\": \""
        + id
        + "\", \"tokens\": [\"a\", \"b\"], \"embeddings\": [[1, 2, 3, 4], [4, 3, 2, 1]]}";
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void filesDroppedInAreAttendedAndTheJobEnds(@TempDir Path dir) throws Exception {
    Path inbox = Files.createDirectories(dir.resolve("inbox"));
    Path out = dir.resolve("out");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] args = {
      "--streaming",
      "--input=" + inbox + "/*.jsonl",
      "--output=" + out,
      "--dModel=4",
      "--heads=2",
      "--watchInterval=PT1S",
      "--stopAfterIdle=PT8S",
      "--window=PT2S",
      "--headStats",
    };
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> job =
          executor.submit(
              () ->
                  AttentionJob.runMain(
                      args,
                      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                      new PrintStream(err, true, StandardCharsets.UTF_8)));

      write(inbox.resolve("a.jsonl"), List.of(sentence("a1"), sentence("a2"), "not json"));
      awaitIds(out, List.of("a1", "a2"), job);

      write(inbox.resolve("b.jsonl"), List.of(sentence("b1")));
      awaitIds(out, List.of("a1", "a2", "b1"), job);

      assertEquals(0, job.get(2, TimeUnit.MINUTES), err.toString(StandardCharsets.UTF_8));
      assertTrue(
          err.toString(StandardCharsets.UTF_8)
              .contains("beam-attention: watching " + inbox + "/*.jsonl every 1 s"),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      executor.shutdownNow();
    }
    assertEquals(1, OutputFiles.lines(out, "errors").size());
    JsonNode counts = JSON.readTree(out.resolve("run.json").toFile()).get("counts");
    assertEquals(4, counts.get("sentencesRead").asInt());
    assertEquals(3, counts.get("sentencesWritten").asInt());
    assertEquals(1, counts.get("errors").asInt());
    // Per-head statistics per window: every written sentence is in exactly one window's file.
    int sentences = 0;
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith("head-stats-") && name.endsWith(".json")) {
          assertTrue(Files.exists(out.resolve(name.replace(".json", ".html"))), name);
          JsonNode heads = JSON.readTree(f.toFile()).get("heads");
          assertEquals(2, heads.size(), name);
          sentences += heads.get(0).get("sentences").asInt();
        }
      }
    }
    assertEquals(3, sentences);
  }

  // Writes beside the glob, then renames, so the watcher never sees half a file.
  private static void write(Path file, List<String> lines) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.write(partial, lines);
    Files.move(partial, file);
  }

  private static void awaitIds(Path out, List<String> ids, Future<Integer> job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (job.isDone()) {
        throw new AssertionError("the job ended early, with status " + job.get());
      }
      if (Files.isDirectory(out)) {
        String all = String.join("\n", OutputFiles.lines(out, "contextual"));
        if (ids.stream().allMatch(id -> all.contains("\"id\":\"" + id + "\""))) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no output for " + ids + " within 60 s");
  }
}
