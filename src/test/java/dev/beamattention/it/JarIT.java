package dev.beamattention.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as users start it: java -jar target/beam-attention.jar (run by Failsafe). */
class JarIT {
  private static final Path JAR = Path.of("target", "beam-attention.jar");

  private static final class Result {
    int status;
    String out;
    String err;
  }

  private static Result java(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the jar did not finish in 5 minutes");
    Result r = new Result();
    r.status = p.exitValue();
    r.out = Files.readString(out, StandardCharsets.UTF_8);
    r.err = Files.readString(err, StandardCharsets.UTF_8);
    return r;
  }

  @Test
  void runsTheWorkedExampleAndTheCat(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("out");
    Result r =
        java(
            dir,
            "--input=sample-data/worked-example/sentences.jsonl",
            "--weights=sample-data/worked-example/weights.json",
            "--scale=none",
            "--output=" + output);
    assertEquals(0, r.status, r.err);
    JsonNode manifest = new ObjectMapper().readTree(output.resolve("run.json").toFile());
    assertEquals(1, manifest.get("counts").get("sentencesWritten").asInt());
    assertTrue(Files.exists(output.resolve("weights.npz")));

    Path cat = dir.resolve("cat");
    Result c = java(dir, "--input=sample-data/cat/sentences.jsonl", "--heads=2", "--output=" + cat);
    assertEquals(0, c.status, c.err);
    String line;
    try (var files = Files.list(cat)) {
      Path f =
          files.filter(p -> p.getFileName().toString().startsWith("contextual-")).findFirst().get();
      line = Files.readString(f);
    }
    assertTrue(line.startsWith("{\"id\":\"cat\",\"tokens\":[\"The\",\"cat\",\"sat\""), line);
  }

  @Test
  void runsOnTheEmbeddedFlinkRunner(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("out");
    Result r =
        java(
            dir,
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            "--parallelism=2",
            "--input=sample-data/cat/sentences.jsonl",
            "--heads=2",
            "--output=" + output);
    assertEquals(0, r.status, r.err);
    JsonNode manifest = new ObjectMapper().readTree(output.resolve("run.json").toFile());
    assertEquals("FlinkRunner", manifest.get("runner").asText());
    assertEquals(1, manifest.get("counts").get("sentencesWritten").asInt());
  }

  @Test
  void aBadOptionIsOneLineAndExitStatusTwo(@TempDir Path dir) throws Exception {
    Result r =
        java(dir, "--input=sample-data/cat/sentences.jsonl", "--output=" + dir, "--heads=-1");
    assertEquals(2, r.status);
    assertEquals("beam-attention: --heads must be at least 1, got -1\n", r.err);
  }
}
