package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be checked of the Dataflow build without Google Cloud (run with -Pdataflow): the runner
 * is in the jar, its options are checked before any work, and the job's graph translates into a
 * Dataflow job spec, written as a template to a local file instead of being submitted.
 */
class DataflowTranslationTest {
  private static final String NO_CREDENTIALS =
      "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory";

  private static final class Run {
    final int status;
    final String err;

    Run(String... args) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      this.status =
          AttentionJob.runMain(
              args,
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      this.err = err.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void missingProjectIsOneLineBeforeAnyWork(@TempDir Path dir) {
    Run run =
        new Run(
            "--runner=DataflowRunner",
            "--input=sample-data/cat/sentences.jsonl",
            "--output=" + dir,
            "--region=europe-west1",
            NO_CREDENTIALS);
    assertEquals(2, run.status, run.err);
    assertEquals(1, run.err.strip().lines().count(), run.err);
    assertTrue(run.err.contains("project"), run.err);
  }

  @Test
  void theJobTranslatesIntoADataflowJobSpec(@TempDir Path dir) throws Exception {
    Path template = dir.resolve("template.json");
    Path staged = Files.writeString(dir.resolve("stage-me.txt"), "a file to stage");
    Run run =
        new Run(
            "--runner=DataflowRunner",
            "--project=some-project",
            "--region=europe-west1",
            "--input=sample-data/cat/sentences.jsonl",
            "--output=" + dir.resolve("out"),
            "--heads=2",
            "--tempLocation=" + dir.resolve("temp"),
            "--stagingLocation=" + dir.resolve("staging"),
            "--templateLocation=" + template,
            "--filesToStage=" + staged,
            "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
            NO_CREDENTIALS);
    assertEquals(0, run.status, run.err);
    String spec = Files.readString(template);
    assertTrue(
        spec.contains("\"steps\""),
        "not a job spec: " + spec.substring(0, Math.min(300, spec.length())));
    for (String step :
        new String[] {"ReadSentences", "Attend", "WriteOutputs", "CollectFailures"}) {
      assertTrue(spec.contains(step), step + " missing from the job spec");
    }
  }
}
