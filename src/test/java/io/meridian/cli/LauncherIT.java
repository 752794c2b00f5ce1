package io.meridian.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code ./meridian} launcher, as a user runs it, finding JDK 25 by itself. */
class LauncherIT {
  private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

  private record Result(int code, String out) {}

  private static Result launch(String javaHome, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("./meridian"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (javaHome == null) {
      pb.environment().remove("JAVA_HOME");
    } else {
      pb.environment().put("JAVA_HOME", javaHome);
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void versionRunsOnJava25EvenWhenJavaHomeIsOlder() throws Exception {
    String home = Files.isDirectory(JDK17) ? JDK17.toString() : null;
    Result r = launch(home, "version");
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).startsWith("meridian, version ").containsPattern("java version: 2[5-9]");
  }

  @Test
  void helpFromTheJarListsOnlyCommandsThatWork() throws Exception {
    Result r = launch(null, "--help");
    assertThat(r.code()).as(r.out()).isZero();
    Golden.assertMatches("cli/help.txt", r.out());
  }
}
