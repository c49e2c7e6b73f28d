package dev.beamattention;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Each main package says its one responsibility, and none holds most of the code. */
class LayoutTest {
  private static final Path MAIN = Path.of("src/main/java/dev/beamattention");
  private static final double MAX_SHARE = 0.30;

  @Test
  void everyPackageHasAPackageInfo() throws IOException {
    List<Path> packages = packages();
    assertFalse(packages.isEmpty());
    for (Path p : packages) {
      Path info = p.resolve("package-info.java");
      assertTrue(Files.exists(info), p + " has no package-info.java");
      assertTrue(Files.readString(info).contains("/**"), info + " says nothing");
    }
  }

  @Test
  void noPackageHoldsMoreThanItsShareOfTheLines() throws IOException {
    Map<Path, Long> lines = new TreeMap<>();
    long total = 0;
    for (Path p : packages()) {
      long n = 0;
      try (Stream<Path> files = Files.list(p)) {
        for (Path f :
            (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
          n += Files.readAllLines(f).size();
        }
      }
      lines.put(p, n);
      total += n;
    }
    for (Map.Entry<Path, Long> e : lines.entrySet()) {
      assertTrue(
          e.getValue() <= MAX_SHARE * total,
          e.getKey() + " holds " + e.getValue() + " of " + total + " lines: " + lines);
    }
  }

  private static List<Path> packages() throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> all = Files.walk(MAIN)) {
      all.filter(Files::isDirectory).filter(d -> hasJava(d)).forEach(dirs::add);
    }
    return dirs;
  }

  private static boolean hasJava(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.toString().endsWith(".java"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
