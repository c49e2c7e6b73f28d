package dev.beamattention.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pipelines/local.sh with JVM flags under which the JVM refuses to write a class-data archive (it
 * would not even start): the script must run the job without one (run by Failsafe, after the jar is
 * built).
 */
class LaunchScriptIT {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0",
        "-Xshare:off"
      })
  void runsWithFlagsThatForbidAnArchive(String javaOpts, @TempDir Path dir) throws Exception {
    Path output = dir.resolve("out");
    Path log = dir.resolve("log.txt");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                "pipelines/local.sh",
                "--input=sample-data/cat/sentences.jsonl",
                "--heads=2",
                "--output=" + output)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("JAVA_OPTS", javaOpts);
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "local.sh did not finish in 5 minutes");
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), text);
    JsonNode manifest = new ObjectMapper().readTree(output.resolve("run.json").toFile());
    assertEquals(1, manifest.get("counts").get("sentencesWritten").asInt(), text);
  }
}
