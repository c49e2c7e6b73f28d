package dev.beamattention.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone Flink cluster, as pipelines/flink-cluster.sh starts it from the shaded jar (a
 * JobManager and two TaskManagers, each a JVM), loses a TaskManager to {@code kill -9} while the
 * job writes its outputs, and gets a replacement: the job still ends DONE, with every sentence
 * exactly once, the DirectRunner's counts and lines, and no temporary files. Run by Failsafe; the
 * script needs bash and a Unix {@code ps}.
 */
class ClusterIT {
  private static final Path JAR = Path.of("target", "beam-attention.jar");
  private static final Path SCRIPT = Path.of("pipelines", "flink-cluster.sh");
  private static final int FILES = 4;
  private static final int SENTENCES_PER_FILE = 1000;
  private static final int D_MODEL = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aJobSurvivesALostTaskManager(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
    Path input = dir.resolve("in");
    List<String> ids = writeCorpus(input);
    String glob = "--input=" + input.resolve("*.jsonl");

    Path direct = dir.resolve("direct");
    Process d = java(dir, "direct", glob, "--heads=2", "--output=" + direct);
    assertTrue(d.waitFor(5, TimeUnit.MINUTES), "the DirectRunner run did not finish");
    assertEquals(0, d.exitValue(), log(dir, "direct"));

    Map<String, String> env = new TreeMap<>();
    // Under target/, not the test's temporary folder, so the logs outlive a failure.
    Path cluster = Path.of("target", "cluster-it").toAbsolutePath();
    env.put("FLINK_CLUSTER_DIR", cluster.toString());
    env.put("FLINK_REST_PORT", Integer.toString(freePort()));
    env.put("FLINK_RPC_PORT", Integer.toString(freePort()));
    Path flink = dir.resolve("flink");
    try {
      assertEquals(0, script(env, dir, "start"), log(dir, "start"));
      Process job =
          java(
              dir,
              "job",
              "--runner=FlinkRunner",
              "--flinkMaster=localhost:" + env.get("FLINK_REST_PORT"),
              "--parallelism=2",
              glob,
              "--heads=2",
              "--output=" + flink);
      // The first bundle's temporary file: writing has begun on both TaskManagers' slots.
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!writing(flink)) {
        assertTrue(job.isAlive(), "the job ended before it wrote:\n" + log(dir, "job"));
        assertTrue(System.nanoTime() < deadline, "no output after 3 minutes");
        Thread.sleep(100);
      }
      long pid = Long.parseLong(Files.readString(cluster.resolve("taskmanager-1.pid")).trim());
      assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly()); // SIGKILL, as kill -9
      assertEquals(0, script(env, dir, "add-taskmanager"), log(dir, "add-taskmanager"));

      assertTrue(job.waitFor(5, TimeUnit.MINUTES), "the job did not finish in 5 minutes");
      assertEquals(0, job.exitValue(), log(dir, "job"));
      String jobManager = Files.readString(cluster.resolve("log").resolve("jobmanager.log"));
      long restarts = jobManager.lines().filter(l -> l.contains("RUNNING to RESTARTING")).count();
      System.out.println("ClusterIT: the job restarted " + restarts + " times");
      assertTrue(restarts >= 1, "the kill came too late to test anything: no restart");
    } finally {
      script(env, dir, "stop");
    }

    for (String kind : List.of("contextual", "attention")) {
      List<String> lines = lines(flink, kind);
      assertEquals(ids, sortedIds(lines), kind + ": every sentence exactly once");
      assertEquals(sorted(lines(direct, kind)), sorted(lines), kind + ": Direct's lines");
    }
    assertEquals(List.of(), lines(flink, "errors"));
    JsonNode flinkRun = JSON.readTree(flink.resolve("run.json").toFile());
    JsonNode directRun = JSON.readTree(direct.resolve("run.json").toFile());
    assertEquals("DONE", flinkRun.get("state").asText());
    assertEquals(directRun.get("counts"), flinkRun.get("counts"));
    assertEquals(directRun.get("errorsByReason"), flinkRun.get("errorsByReason"));
    try (Stream<Path> left = Files.walk(flink)) {
      assertEquals(
          List.of(),
          left.filter(p -> p.getFileName().toString().startsWith(".temp"))
              .collect(Collectors.toList()));
    }
  }

  /**
   * FILES files of random sentences, 3 to 30 tokens of D_MODEL values: about 17 MB, so each file is
   * several input ranges and the outputs take seconds to write on 2 cores.
   *
   * @return the ids, sorted
   */
  private static List<String> writeCorpus(Path dir) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(14);
    List<String> ids = new ArrayList<>();
    for (int f = 0; f < FILES; f++) {
      try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("part-" + f + ".jsonl"))) {
        for (int s = 0; s < SENTENCES_PER_FILE; s++) {
          String id = String.format(Locale.ROOT, "f%d-%05d", f, s);
          ids.add(id);
          int n = 3 + random.nextInt(28);
          StringBuilder line = new StringBuilder("{\"id\":\"").append(id).append("\",\"tokens\":[");
          for (int t = 0; t < n; t++) {
            line.append(t == 0 ? "\"" : ",\"").append("w").append(random.nextInt(500)).append('"');
          }
          line.append("],\"embeddings\":[");
          for (int t = 0; t < n; t++) {
            line.append(t == 0 ? "[" : ",[");
            for (int c = 0; c < D_MODEL; c++) {
              line.append(c == 0 ? "" : ",")
                  .append(String.format(Locale.ROOT, "%.4f", random.nextGaussian()));
            }
            line.append(']');
          }
          out.write(line.append("]}\n").toString());
        }
      }
    }
    ids.sort(null);
    return ids;
  }

  private static boolean writing(Path output) throws IOException {
    if (!Files.isDirectory(output)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(output)) {
      return files.anyMatch(
          p ->
              Files.isRegularFile(p) && p.getParent().getFileName().toString().startsWith(".temp"));
    } catch (UncheckedIOException e) {
      return false; // a file went away while we looked
    }
  }

  private static List<String> lines(Path output, String kind) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(output)) {
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().startsWith(kind + "-"))
              .collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  private static List<String> sortedIds(List<String> lines) throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : lines) {
      ids.add(JSON.readTree(line).get("id").asText());
    }
    ids.sort(null);
    return ids;
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Process java(Path dir, String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-modules=jdk.incubator.vector");
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile())
        .start();
  }

  private static int script(Map<String, String> env, Path dir, String command)
      throws IOException, InterruptedException {
    ProcessBuilder b =
        new ProcessBuilder("bash", SCRIPT.toString(), command)
            .redirectOutput(dir.resolve(command + ".out").toFile())
            .redirectError(dir.resolve(command + ".err").toFile());
    b.environment().putAll(env);
    b.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = b.start();
    assertTrue(p.waitFor(4, TimeUnit.MINUTES), "flink-cluster.sh " + command + " hung");
    return p.exitValue();
  }

  private static String log(Path dir, String name) throws IOException {
    StringBuilder s = new StringBuilder();
    for (String suffix : List.of(".out", ".err")) {
      Path f = dir.resolve(name + suffix);
      if (Files.exists(f)) {
        s.append(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return s.toString();
  }
}
