package dev.beamattention.testing;

import java.lang.reflect.Method;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Lets a JUnit 5 test take a {@link TestPipeline} parameter with the rule's enforcement intact.
 *
 * <p>Beam 2.62's TestPipeline is a JUnit 4 rule: it checks, after the test, that a pipeline with
 * PAsserts was run and that no transform was left dangling. This extension gives each test a fresh
 * pipeline and runs the test method inside {@link TestPipeline#apply(Statement, Description)}, so
 * those checks still fail the test. Parameterized and repeated tests get a pipeline per invocation.
 *
 * <p>A complete test of the attention transform:
 *
 * <pre>{@code
 * import dev.beamattention.attend.Attend;
 * import dev.beamattention.record.AttendedSentence;
 * import dev.beamattention.record.ErrorRecord;
 * import dev.beamattention.record.Sentence;
 * import dev.beamattention.testing.TestPipelineExtension;
 * import dev.beamattention.weights.WeightsSource;
 * import org.apache.beam.sdk.testing.PAssert;
 * import org.apache.beam.sdk.testing.TestPipeline;
 * import org.apache.beam.sdk.transforms.Create;
 * import org.apache.beam.sdk.transforms.MapElements;
 * import org.apache.beam.sdk.values.PCollectionTuple;
 * import org.apache.beam.sdk.values.TypeDescriptors;
 * import org.junit.jupiter.api.Test;
 * import org.junit.jupiter.api.extension.ExtendWith;
 *
 * @ExtendWith(TestPipelineExtension.class)
 * class AttendTest {
 *   @Test
 *   void attendsEverySentence(TestPipeline p) {
 *     Sentence cat =
 *         new Sentence(
 *             "cat", new String[] {"the", "cat"}, new double[][] {{1, 0, 0, 1}, {0, 1, 1, 0}});
 *     PCollectionTuple out =
 *         p.apply(Create.of(cat)).apply(Attend.with(WeightsSource.random(4, 2, 0, 0, 42)));
 *
 *     PAssert.that(
 *             out.get(Attend.ATTENDED)
 *                 .apply(MapElements.into(TypeDescriptors.strings()).via(AttendedSentence::id)))
 *         .containsInAnyOrder("cat");
 *     PAssert.that(out.get(ErrorRecord.TAG)).empty();
 *     p.run();
 *   }
 * }
 * }</pre>
 *
 * <p>The test class path needs what this project declares {@code provided}: {@code
 * org.junit.jupiter:junit-jupiter}, {@code junit:junit} (TestPipeline is a JUnit 4 rule), {@code
 * org.hamcrest:hamcrest} (PAssert's matchers), and a runner, usually {@code
 * org.apache.beam:beam-runners-direct-java}.
 */
public final class TestPipelineExtension implements ParameterResolver, InvocationInterceptor {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(TestPipelineExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestPipeline.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return pipeline(context);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    runInside(invocation, context);
  }

  /** Parameterized and repeated tests: each invocation gets its own enforced pipeline. */
  @Override
  public void interceptTestTemplateMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    runInside(invocation, context);
  }

  private static void runInside(Invocation<Void> invocation, ExtensionContext context)
      throws Throwable {
    Statement test =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            invocation.proceed();
          }
        };
    Description description =
        Description.createTestDescription(
            context.getRequiredTestClass(), context.getRequiredTestMethod().getName());
    pipeline(context).apply(test, description).evaluate();
  }

  private static TestPipeline pipeline(ExtensionContext context) {
    return context
        .getStore(NS)
        .getOrComputeIfAbsent(
            context.getUniqueId(), id -> TestPipeline.create(), TestPipeline.class);
  }
}
