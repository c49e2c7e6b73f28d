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
 * those checks still fail the test.
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
