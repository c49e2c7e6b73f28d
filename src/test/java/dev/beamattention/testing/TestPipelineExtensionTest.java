package dev.beamattention.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The JUnit 5 bridge keeps TestPipeline's enforcement: a forgotten run() fails the test. */
class TestPipelineExtensionTest {
  /** Run only through EngineTestKit below (Surefire skips nested classes). */
  @ExtendWith(TestPipelineExtension.class)
  static class ForgetsToRun {
    @Test
    void assertsWithoutRunning(TestPipeline p) {
      PAssert.that(p.apply(Create.of(1, 2))).containsInAnyOrder(1, 2);
    }
  }

  @ExtendWith(TestPipelineExtension.class)
  static class RunsAWrongAssertion {
    @Test
    void assertsSomethingFalse(TestPipeline p) {
      PAssert.that(p.apply(Create.of(1, 2))).containsInAnyOrder(1, 3);
      p.run();
    }
  }

  @Test
  void aPipelineThatIsNeverRunFailsItsTest() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(ForgetsToRun.class))
        .execute()
        .testEvents()
        .assertThatEvents()
        .haveExactly(
            1,
            event(
                test("assertsWithoutRunning"),
                finishedWithFailure(instanceOf(TestPipeline.PipelineRunMissingException.class))));
  }

  @Test
  void aFailingPAssertFailsItsTest() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(RunsAWrongAssertion.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(1).failed(1));
  }
}
