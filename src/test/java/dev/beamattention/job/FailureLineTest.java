package dev.beamattention.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ProgramInvocationException;
import org.apache.flink.runtime.JobException;
import org.apache.flink.runtime.client.JobExecutionException;
import org.junit.jupiter.api.Test;

class FailureLineTest {
  @Test
  void aFlinkJobOutOfRestartsNamesTheStrategyAndTheRootCause() {
    // The chain a remote Flink job that lost a TaskManager once too often threw (messages as
    // Flink 1.19 and Beam's FlinkRunner wrote them in a run on pipelines/flink-cluster.sh).
    Exception root = new ConnectException("finishConnect(..) failed: Connection refused");
    Exception lost =
        new IOException(
            "Connecting to remote task manager 'localhost/127.0.0.1:40821' has failed.", root);
    Exception suppressed =
        new JobException(
            "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy"
                + "(maxNumberRestartAttempts=3, backoffTimeMS=2000)",
            lost);
    Exception job = new JobExecutionException(new JobID(), "Job execution failed.", suppressed);
    Exception client = new ProgramInvocationException("Job failed (JobID: 98e8280e)", job);
    Exception beam = new RuntimeException("Pipeline execution failed", client);

    assertEquals(
        "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy"
            + "(maxNumberRestartAttempts=3, backoffTimeMS=2000); root cause: ConnectException:"
            + " finishConnect(..) failed: Connection refused",
        FailureLine.of(beam));
  }

  @Test
  void theDirectRunnersWrapperIsPassedOver() {
    EOFException cause = new EOFException("Unexpected end of ZLIB input stream\nmore");
    assertEquals(
        "EOFException: Unexpected end of ZLIB input stream",
        FailureLine.of(new PipelineExecutionException(cause)));
  }

  @Test
  void noMessageAnywhereSaysSo() {
    assertEquals(
        "IllegalStateException: unknown error",
        FailureLine.of(new RuntimeException(new IllegalStateException())));
  }

  @Test
  void anOutOfMemoryErrorSaysHowToGiveTheHeapMore() {
    RuntimeException e =
        new RuntimeException(
            "java.lang.OutOfMemoryError: Java heap space", new OutOfMemoryError("Java heap space"));
    String hint = FailureLine.memoryHint(e);
    assertTrue(hint.startsWith(" (the heap holds at most "), hint);
    assertTrue(hint.contains("JAVA_OPTS=-Xmx8g"), hint);
    assertEquals("", FailureLine.memoryHint(new IllegalStateException("disk full")));
  }
}
