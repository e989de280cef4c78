package dev.mcpgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert rules as Prometheus reads them: {@code promtool check rules} (syntax, PromQL, templates)
 * and {@code promtool test rules} (deploy/prometheus/alerts-test.yml: series in, alerts out).
 * promtool is Debian's {@code prometheus} package, which scripts/test.sh installs; without it the
 * tests are skipped on a workstation and fail under CI=true, where nothing may skip silently.
 */
class DeployRulesTest {
  static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/promtool"), Path.of("/usr/local/bin/promtool"));
  static Path promtool;

  @BeforeAll
  static void findPromtool() {
    promtool = CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    if (promtool == null && "true".equals(System.getenv("CI"))) {
      fail("promtool is missing (Debian package prometheus; scripts/test.sh installs it): the alert rules cannot be checked");
    }
    Assumptions.assumeTrue(promtool != null, "promtool not installed (apt-get install prometheus): alert rules not checked");
  }

  @Test
  void theRulesAreValid() {
    run("check", "rules", DeployedQueries.ALERTS.toString());
  }

  @Test
  void theRulesUnitTestsPass() {
    run("test", "rules", DeployedQueries.ALERT_TESTS.toString());
  }

  private static void run(String... args) {
    try {
      Path output = Files.createTempFile("promtool", ".txt");
      List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
      command.addAll(List.of(args));
      // the test file names alerts.yml relative to itself: run where both are
      Process process = new ProcessBuilder(command).directory(DeployedQueries.ALERTS.getParent().toFile())
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("promtool " + String.join(" ", args) + " did not finish within 60 s");
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      Files.deleteIfExists(output);
      assertEquals(0, process.exitValue(), "promtool " + String.join(" ", args) + ":\n" + printed);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
