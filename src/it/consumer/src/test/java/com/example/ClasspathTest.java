package com.example;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamattention.attend.Attend;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;

/**
 * What the library brings onto a user's class path: itself and Beam's jars; no runner, no logger.
 */
class ClasspathTest {
  @Test
  void beamComesFromBeamsJarsNotFromOurs() throws Exception {
    // (beam-runners-direct-java bundles some of Beam's core classes itself; ours bundles none.)
    List<String> copies =
        Collections.list(
                getClass().getClassLoader().getResources("org/apache/beam/sdk/Pipeline.class"))
            .stream()
            .map(Object::toString)
            .collect(Collectors.toList());
    assertTrue(copies.stream().noneMatch(c -> c.contains("beam-attention")), copies.toString());
    String beam = Pipeline.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertTrue(
        beam.endsWith(
            "/beam-sdks-java-core-" + System.getProperty("beam.version", "2.62.0") + ".jar"),
        beam);
  }

  @Test
  void theLibraryIsTheThinJar() {
    String jar = Attend.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertTrue(jar.matches(".*/beam-attention-[^/]*\\.jar") && !jar.contains("bundled"), jar);
  }

  @Test
  void runnersAndTheLoggingProviderStayOptional() {
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("org.apache.beam.runners.flink.FlinkRunner"));
    assertThrows(
        ClassNotFoundException.class, () -> Class.forName("org.slf4j.simple.SimpleLogger"));
  }
}
