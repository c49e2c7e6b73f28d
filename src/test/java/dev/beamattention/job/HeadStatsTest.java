package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --headStats} end to end: against the NumPy reference of {@code
 * src/test/python/make_head_stats.py}, and the statistics of the sample corpus checked for what
 * must hold whatever the weights.
 */
class HeadStatsTest {
  private static final Path REFERENCE = Path.of("src/test/resources/headstats");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** NumPy and Java differ in the attention weights' last bits, and in log's. */
  private static final double RELATIVE = 1e-12;

  private static final String[] MEANS = {
    "entropy", "distance", "self", "previous", "next", "first"
  };

  @Test
  void matchesTheNumPyReference(@TempDir Path tmp) throws IOException {
    compare(REFERENCE.resolve("expected.json"), tmp.resolve("plain"), false);
  }

  @Test
  void matchesTheNumPyReferenceWithACausalMask(@TempDir Path tmp) throws IOException {
    compare(REFERENCE.resolve("expected-causal.json"), tmp.resolve("causal"), true);
  }

  @Test
  void sampleCorpusStatisticsHoldTheirInvariants(@TempDir Path tmp) throws IOException {
    Path out = tmp.resolve("corpus");
    run(
        out,
        "--input=sample-data/corpus/*.jsonl.gz",
        "--heads=2",
        "--attention=none",
        "--headStats",
        "--headStatsTopPairs=5");
    JsonNode stats = JSON.readTree(out.resolve("head-stats.json").toFile());
    JsonNode counts = JSON.readTree(out.resolve("run.json").toFile()).get("counts");
    JsonNode heads = stats.get("heads");
    assertEquals(2, heads.size());
    assertEquals(counts.get("tokens").asLong(), stats.get("tokens").asLong());
    for (int h = 0; h < heads.size(); h++) {
      JsonNode head = heads.get(h);
      assertEquals(h, head.get("head").asInt());
      assertEquals(counts.get("sentencesWritten").asLong(), head.get("sentences").asLong());
      assertEquals(counts.get("tokens").asLong(), head.get("rows").asLong());
      double entropy = head.get("entropy").asDouble();
      assertTrue(entropy > 0 && entropy <= Math.log(counts.get("tokens").asDouble()));
      for (String name : new String[] {"self", "previous", "next", "first"}) {
        double v = head.get(name).asDouble();
        assertTrue(v > 0 && v < 1, name + " = " + v);
      }
      assertTrue(head.get("distance").asDouble() > 0);
      JsonNode pairs = head.get("topPairs");
      assertEquals(5, pairs.size());
      for (int i = 0; i < pairs.size(); i++) {
        JsonNode p = pairs.get(i);
        // A pair's mass is at most one per cell, and the list falls.
        assertTrue(p.get("mass").asDouble() <= p.get("count").asDouble());
        if (i > 0) {
          assertTrue(pairs.get(i - 1).get("mass").asDouble() >= p.get("mass").asDouble());
        }
      }
    }
    String page = Files.readString(out.resolve("head-stats.html"));
    assertFalse(page.contains("<script"), "the page runs no script");
    assertFalse(page.contains("src=\"http") || page.contains("href=\"http"), "nothing fetched");
    assertEquals(6, count(page, "<svg"), "one chart per statistic");
    assertTrue(page.contains("head-stats") || page.contains("Attention statistics per head"));
    JsonNode options = JSON.readTree(out.resolve("run.json").toFile()).get("options");
    assertTrue(options.get("headStats").asBoolean());
  }

  private static void compare(Path expectedFile, Path out, boolean causal) throws IOException {
    JsonNode expected = JSON.readTree(expectedFile.toFile());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + REFERENCE.resolve("corpus.jsonl"),
                "--weights=" + REFERENCE.resolve("weights.json"),
                "--heads=" + expected.get("heads").size(),
                "--attention=none",
                "--headStats"));
    if (causal) {
      args.add("--causal");
    }
    run(out, args.toArray(new String[0]));
    JsonNode actual = JSON.readTree(out.resolve("head-stats.json").toFile());
    assertEquals(expected.get("tokens"), actual.get("tokens"));
    assertEquals(expected.get("heads").size(), actual.get("heads").size());
    for (int h = 0; h < expected.get("heads").size(); h++) {
      JsonNode e = expected.get("heads").get(h);
      JsonNode a = actual.get("heads").get(h);
      String where = "head " + h + " ";
      for (String name : new String[] {"head", "sentences", "rows"}) {
        assertEquals(e.get(name), a.get(name), where + name);
      }
      for (String name : MEANS) {
        assertEquals(e.has(name), a.has(name), where + name + " present");
        if (e.has(name)) {
          assertClose(e.get(name).asDouble(), a.get(name).asDouble(), where + name);
        }
      }
      JsonNode ep = e.get("topPairs");
      JsonNode ap = a.get("topPairs");
      assertEquals(ep.size(), ap.size(), where + "pairs");
      for (int i = 0; i < ep.size(); i++) {
        assertEquals(ep.get(i).get("from"), ap.get(i).get("from"), where + "pair " + i);
        assertEquals(ep.get(i).get("to"), ap.get(i).get("to"), where + "pair " + i);
        assertEquals(ep.get(i).get("count"), ap.get(i).get("count"), where + "pair " + i);
        assertClose(
            ep.get(i).get("mass").asDouble(),
            ap.get(i).get("mass").asDouble(),
            where + "pair " + i);
      }
    }
  }

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, Math.abs(expected) * RELATIVE, what);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  static void run(Path out, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--output=" + out);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        AttentionJob.runMain(
            all.toArray(new String[0]),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
  }
}
