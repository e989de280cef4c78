package dev.mcpgateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout rules of {@code src/main} that the compiler cannot hold: only {@code proxy} itself is
 * the proxy's API (its sub-packages are public for Java's sake, see proxy/README.md), and a class
 * past ~300 lines is named in its package README with the reason.
 */
class ProxyLayoutTest {
  private static final Path MAIN = Path.of("src/main/java/dev/mcpgateway");
  private static final Pattern SUB_PACKAGE_IMPORT = Pattern.compile("^import (static )?dev\\.mcpgateway\\.proxy\\.[a-z]\\w*\\.", Pattern.MULTILINE);
  private static final int LARGE = 300;

  @Test
  void nothingOutsideProxyReachesIntoItsSubPackages() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (file.startsWith(MAIN.resolve("proxy"))) continue;
        Matcher m = SUB_PACKAGE_IMPORT.matcher(Files.readString(file));
        if (m.find()) offenders.add(MAIN.relativize(file) + ": " + m.group());
      }
    }
    assertEquals(List.of(), offenders, "only dev.mcpgateway.proxy is API; use McpEndpoint, McpFailureHandler or ProxySettings");
  }

  @Test
  void everyLargeClassIsExplainedInItsPackageReadme() throws IOException {
    List<String> unexplained = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (Files.readAllLines(file).size() <= LARGE) continue;
        String name = file.getFileName().toString().replace(".java", "");
        Path readme = file.getParent().resolve("README.md");
        // the package's README, or its parent's (proxy/README.md speaks for its sub-packages)
        if (!Files.exists(readme)) readme = file.getParent().getParent().resolve("README.md");
        boolean explained = Files.exists(readme) && Files.readAllLines(readme).stream()
            .anyMatch(line -> line.contains(name) && line.contains("lines"));
        if (!explained) unexplained.add(MAIN.relativize(file).toString());
      }
    }
    assertTrue(unexplained.isEmpty(), "classes over " + LARGE + " lines with no word in their package README: " + unexplained);
  }
}
