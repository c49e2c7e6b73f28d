package dev.beamattention.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one line a failed run prints: what the cause chain says, not what its wrappers say. Runners
 * wrap the real cause in layers that say only that something failed: Flink's client throws
 * "Pipeline execution failed", around "Job failed (JobID: ...)", around "Job execution failed.",
 * around "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy(...)", around the task's
 * exception; Beam's DirectRunner wraps the DoFn's exception with that exception's own text.
 */
final class FailureLine {
  private FailureLine() {}

  // Messages that only say "it failed"; a runner's wrapper around the cause that says why.
  private static final List<String> WRAPPERS =
      List.of("Pipeline execution failed", "Job failed (JobID", "Job execution failed");

  /**
   * The first line of the first message in the chain of causes that says more than "it failed",
   * and, when the chain goes deeper, {@code "; root cause: "} and the deepest cause with a message,
   * as {@code SimpleClassName: message} (a lone cause is shown that way too). A cause whose message
   * is its cause's {@code toString()} (Java's {@code new Exception(cause)}) adds nothing and is
   * passed over.
   *
   * @return "unknown error" when no cause has a message
   */
  static String of(Throwable failure) {
    List<Throwable> chain = chain(failure);
    List<Throwable> telling = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      Throwable t = chain.get(i);
      Optional<Throwable> cause =
          i + 1 < chain.size() ? Optional.of(chain.get(i + 1)) : Optional.empty();
      if (tells(t, cause)) {
        telling.add(t);
      }
    }
    if (telling.isEmpty()) {
      return chain.get(chain.size() - 1).getClass().getSimpleName() + ": unknown error";
    }
    Throwable first = telling.get(0);
    Throwable root = telling.get(telling.size() - 1);
    return first == root
        ? named(first)
        : firstLine(first.getMessage()) + "; root cause: " + named(root);
  }

  /**
   * What to do when the chain holds an {@link OutOfMemoryError}: {@code " (the heap holds at most N
   * MB: ...)"}, naming how to give more; otherwise empty. The launch scripts keep the heap small by
   * default, and a corpus of long sentences or a large model may need more.
   */
  static String memoryHint(Throwable failure) {
    for (Throwable t : chain(failure)) {
      if (t instanceof OutOfMemoryError) {
        long mb = Runtime.getRuntime().maxMemory() >> 20;
        return " (the heap holds at most "
            + mb
            + " MB: give the JVM more, e.g. JAVA_OPTS=-Xmx8g for the launch scripts, or java"
            + " -Xmx8g -jar)";
      }
    }
    return "";
  }

  private static boolean tells(Throwable t, Optional<Throwable> cause) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return false;
    }
    if (cause.isPresent() && message.equals(cause.get().toString())) {
      return false;
    }
    return WRAPPERS.stream().noneMatch(message::startsWith);
  }

  // The causes from the outermost in, each once (a chain may loop).
  private static List<Throwable> chain(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static String named(Throwable t) {
    return t.getClass().getSimpleName() + ": " + firstLine(t.getMessage());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
