package dev.mcpgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * Opens the embedded store in a data directory: {@code servers/} ({@link FileServerStore}),
 * {@code audit/} ({@link FileAuditLog}) and {@code oauth-users/} ({@link FileUserConnections}),
 * all written by one {@link SingleWriter} and loaded on it before the first request. See this
 * package's README for the durability protocol.
 */
final class FileStores {
  private FileStores() {}

  static Future<Stores> open(Vertx vertx, Path dataDir) {
    SingleWriter writer = SingleWriter.create(vertx);
    return writer.load(() -> {
      FileAuditLog audit = FileAuditLog.load(dataDir.resolve("audit"), writer);
      FileUserConnections users = FileUserConnections.load(dataDir.resolve("oauth-users"), writer);
      FileServerStore servers = FileServerStore.load(dataDir.resolve("servers"), writer);
      return new Stores(servers, audit, users, writer::close);
    });
  }
}
