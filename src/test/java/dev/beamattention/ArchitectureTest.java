package dev.beamattention;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * The main classes' structure: dependencies point down, from the job through the stages and the
 * formats to the records and the numeric core; no cycles; no stage knows another; the testing
 * support for users stands beside them all, knowing none and known by none.
 */
@AnalyzeClasses(
    packages = "dev.beamattention",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] STAGE_NAMES = {
    "read", "embed", "attend", "write", "heatmap", "statistics"
  };
  private static final String[] STAGES = {
    "dev.beamattention.read..",
    "dev.beamattention.embed..",
    "dev.beamattention.attend..",
    "dev.beamattention.write..",
    "dev.beamattention.heatmap..",
    "dev.beamattention.statistics.."
  };

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("dev.beamattention.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule layersPointDown =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Job")
          .definedBy("dev.beamattention.job..")
          .layer("Stages")
          .definedBy(STAGES)
          .layer("Formats")
          .definedBy(
              "dev.beamattention.json..",
              "dev.beamattention.weights..",
              "dev.beamattention.files..",
              "dev.beamattention.parquet..")
          .layer("Records")
          .definedBy("dev.beamattention.record..")
          .layer("Core")
          .definedBy("dev.beamattention.core..")
          .whereLayer("Job")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Stages")
          .mayOnlyBeAccessedByLayers("Job")
          .whereLayer("Formats")
          .mayOnlyBeAccessedByLayers("Job", "Stages")
          .whereLayer("Records")
          .mayOnlyBeAccessedByLayers("Job", "Stages", "Formats")
          .whereLayer("Core")
          .mayOnlyBeAccessedByLayers("Job", "Stages", "Formats", "Records");

  @ArchTest
  static final ArchRule stagesDoNotKnowEachOther =
      CompositeArchRule.of(stageAlone("read"))
          .and(stageAlone("embed"))
          .and(stageAlone("attend"))
          .and(stageAlone("write"))
          .and(stageAlone("heatmap"))
          .and(stageAlone("statistics"));

  @ArchTest
  static final ArchRule coreIsPureMaths =
      noClasses()
          .that()
          .resideInAPackage("dev.beamattention.core..")
          .should()
          .dependOnClassesThat()
          .resideOutsideOfPackages(
              "dev.beamattention.core..",
              "java..",
              "com.sun.management..",
              "jdk.incubator.vector..",
              "org.apache.commons.math3..",
              "org.slf4j..");

  /**
   * dev.beamattention.testing is for users' tests: it needs only Beam and JUnit, and no main class
   * needs it, so JUnit can stay a provided dependency of the library.
   */
  @ArchTest
  static final ArchRule testingSupportNeedsOnlyBeamAndJUnit =
      classes()
          .that()
          .resideInAPackage("dev.beamattention.testing..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "dev.beamattention.testing..", "java..", "org.apache.beam.sdk..", "org.junit..");

  @ArchTest
  static final ArchRule onlyTheTestingSupportUsesJUnit =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.beamattention.testing..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.beamattention.testing..", "org.junit..", "org.hamcrest..");

  private static ArchRule stageAlone(String stage) {
    String[] others =
        java.util.Arrays.stream(STAGE_NAMES)
            .filter(s -> !s.equals(stage))
            .map(s -> "dev.beamattention." + s + "..")
            .toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage("dev.beamattention." + stage + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others);
  }
}
