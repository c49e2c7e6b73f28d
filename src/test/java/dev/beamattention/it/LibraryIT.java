package dev.beamattention.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library as its users get it (run by Failsafe after the install-file of pre-integration-test):
 * the thin main jar holds our classes only, and a user's project (src/it/consumer) builds and runs
 * its JUnit 5 test of our attention transform against it.
 *
 * <p>The consumer build is a nested Maven run (inside the outer build's lock, if any) with a local
 * repository of its own, target/consumer-repo, where our artifact was installed; everything else it
 * needs comes from the user's ~/.m2, read as a file repository, so nothing of ours lands there and
 * no network is needed once ~/.m2 holds the outer build's dependencies.
 */
class LibraryIT {
  private static final Path THIN = Path.of(System.getProperty("thin.jar", "missing"));
  private static final Path BUNDLED = Path.of("target", "beam-attention.jar");
  private static final Path CONSUMER_SOURCES = Path.of("src", "it", "consumer");

  @Test
  void theThinJarHoldsOurClassesAndNoBeam() throws IOException {
    List<String> names;
    try (JarFile jar = new JarFile(THIN.toFile())) {
      names = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
    }
    assertTrue(names.contains("dev/beamattention/attend/Attend.class"), THIN.toString());
    assertTrue(names.contains("dev/beamattention/testing/TestPipelineExtension.class"));
    List<String> foreign =
        names.stream()
            .filter(n -> !n.startsWith("dev/beamattention/") && !n.startsWith("META-INF/"))
            .filter(n -> !n.endsWith("/"))
            .collect(Collectors.toList());
    assertEquals(List.of(), foreign, "not ours, in the thin jar");
    assertTrue(names.stream().noneMatch(n -> n.startsWith("org/apache/beam")));
  }

  @Test
  void theBundledJarHoldsBeamTheRunnersAndTheJobsLoggerSettings() throws IOException {
    try (JarFile jar = new JarFile(BUNDLED.toFile())) {
      for (String name :
          List.of(
              "dev/beamattention/job/AttentionJob.class",
              "org/apache/beam/sdk/Pipeline.class",
              "org/apache/beam/runners/direct/DirectRunner.class",
              "org/apache/beam/runners/flink/FlinkRunner.class",
              "org/slf4j/simple/SimpleLogger.class",
              "simplelogger.properties")) {
        assertTrue(jar.getEntry(name) != null, name + " is not in " + BUNDLED);
      }
    }
  }

  @Test
  void aUsersProjectTestsItsPipelineAgainstTheThinArtifact() throws Exception {
    Path work = Path.of("target", "consumer");
    copy(CONSUMER_SOURCES, work);
    Path settings = work.resolve("settings.xml");
    Files.writeString(settings, settings(), StandardCharsets.UTF_8);

    List<String> command = new ArrayList<>();
    command.add(mvn());
    command.addAll(
        List.of(
            "-B",
            "-ntp",
            "-s",
            settings.toAbsolutePath().toString(),
            "-Dmaven.repo.local=" + Path.of(property("consumer.repo")).toAbsolutePath(),
            "-Dbeam-attention.version=" + property("project.version"),
            "-Dbeam.version=" + property("beam.version"),
            "-Djunit-jupiter.version=" + property("junit-jupiter.version"),
            "-Djunit4.version=" + property("junit4.version"),
            "-Dhamcrest.version=" + property("hamcrest.version"),
            "test"));
    Path log = work.resolve("build.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = builder.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the consumer build did not finish in 5 minutes; see " + log);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "the consumer build failed (" + log + "):\n" + tail(out));
    assertTrue(
        out.contains("Tests run: 5, Failures: 0, Errors: 0, Skipped: 0"),
        "the consumer's tests did not all run:\n" + tail(out));
  }

  /**
   * Our artifact from the consumer's own repository, all else from ~/.m2 (then, online, Central).
   */
  private static String settings() {
    String userRepo = Path.of(property("user.repo")).toUri().toString();
    String repository =
        "<id>user-m2</id><url>"
            + userRepo
            + "</url><releases><checksumPolicy>ignore</checksumPolicy></releases>"
            + "<snapshots><enabled>false</enabled></snapshots>";
    boolean offline = System.getProperty("maven.offline", "").equals("offline=true");
    String mirrors =
        offline
            ? "<mirrors><mirror><id>user-m2</id><mirrorOf>*</mirrorOf><url>"
                + userRepo
                + "</url></mirror></mirrors>"
            : "";
    return "<settings>"
        + mirrors
        + "<profiles><profile><id>user-m2</id>"
        + "<repositories><repository>"
        + repository
        + "</repository></repositories>"
        + "<pluginRepositories><pluginRepository>"
        + repository
        + "</pluginRepository></pluginRepositories>"
        + "</profile></profiles>"
        + "<activeProfiles><activeProfile>user-m2</activeProfile></activeProfiles>"
        + "</settings>\n";
  }

  private static String mvn() {
    String home = System.getProperty("maven.home", "");
    Path script = Path.of(home, "bin", "mvn");
    return !home.isEmpty() && !home.startsWith("${") && Files.isExecutable(script)
        ? script.toString()
        : "mvn";
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null || value.startsWith("${")) {
      throw new IllegalStateException(name + " is not set: run LibraryIT through mvn verify");
    }
    return value;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 80), lines.length));
  }
}
