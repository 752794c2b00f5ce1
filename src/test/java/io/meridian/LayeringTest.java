package io.meridian;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the blueprint's layering and bans calls that break determinism or tidiness. */
class LayeringTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.meridian");
  }

  @Test
  void packagesUseOnlyThoseAboveThem() {
    assertThat(main.size()).as("main classes imported").isGreaterThan(20);
    Layering.rules("io.meridian", Layering.ORDER).check(main);
  }

  /** The planted fixture: a model class that imports a tsdb class. */
  @Test
  void aWrongImportFailsTheBuild() {
    JavaClasses fixture = new ClassFileImporter().importPackages("io.meridian.layeringfixture");
    EvaluationResult result =
        Layering.rules("io.meridian.layeringfixture", Layering.ORDER).evaluate(fixture);
    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(d ->
            assertThat(d)
                .contains("io.meridian.layeringfixture.model.FixtureSample")
                .contains("io.meridian.layeringfixture.tsdb.FixtureHead"));
  }

  @Test
  void onlyTheClockReadsTheSystemTime() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.meridian.util.SystemClock")
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .because("time comes from an injected io.meridian.util.Clock")
        .check(main);
  }

  @Test
  void noSleepsNoPrintedStackTraces() {
    noClasses()
        .should()
        .callMethod(Thread.class, "sleep", long.class)
        .orShould()
        .callMethod(Thread.class, "sleep", java.time.Duration.class)
        .orShould()
        .callMethod(Throwable.class, "printStackTrace")
        .because("waits go through the clock and errors through logs or results")
        .check(main);
  }

  @Test
  void onlyTheCommandLineWritesToTheTerminal() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.meridian.cli..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .check(main);
  }

  @Test
  void everyRowHasAPackageSayingWhatItOwns() {
    for (String p : Layering.ORDER) {
      Path info = Path.of("src/main/java/io/meridian", p.replace('.', '/'), "package-info.java");
      assertThat(info).as("package-info of %s", p).isRegularFile();
    }
  }
}
