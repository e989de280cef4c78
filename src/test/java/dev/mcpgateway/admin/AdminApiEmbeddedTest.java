package dev.mcpgateway.admin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

class AdminApiEmbeddedTest extends AdminApiContract {
  @Override
  String pgSchema() {
    return null;
  }

  @Override
  String storedBytes() throws Exception {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(Files::isRegularFile).map(f -> {
        try {
          return Files.readString(f);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.joining("\n"));
    }
  }

  @Override
  void breakAcmeAuditTrail() throws Exception {
    // a directory where the account's audit file should be: every append fails with an I/O error
    Files.createDirectories(dataDir.resolve("audit/acme.jsonl"));
  }
}
