package dev.mcpgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * Opens the embedded store in a data directory: {@code servers/} ({@link FileServerStore}),
 * {@code portals/} ({@link FilePortalStore}), {@code audit/} ({@link FileAuditLog}) and
 * {@code oauth-users/} ({@link FileUserConnections}), {@code portal-toggles/}
 * ({@link FilePortalToggles}), {@code session-revocations/} ({@link FileSessionRevocations}),
 * {@code service-tokens/} ({@link FileServiceTokens}), {@code policies/} ({@link FilePolicyStore}), {@code sign-in/}
 * ({@link FileSignInStore}) and {@code tool-calls/} ({@link FileToolCallCounts}), all written by one {@link SingleWriter} and loaded on it before the
 * first request. Portals load after servers and share a {@link PortalMembership} index with them
 * (a server in use is not deleted); toggles load after portals and go with them. See this package's
 * README for the durability protocol.
 */
final class FileStores {
  private FileStores() {}

  static Future<Stores> open(Vertx vertx, Path dataDir) {
    SingleWriter writer = SingleWriter.create(vertx);
    return writer.load(() -> {
      FileAuditLog audit = FileAuditLog.load(dataDir.resolve("audit"), writer);
      FileUserConnections users = FileUserConnections.load(dataDir.resolve("oauth-users"), writer);
      PortalMembership membership = new PortalMembership();
      FileServerStore servers = FileServerStore.load(dataDir.resolve("servers"), writer, membership);
      FilePortalStore portals = FilePortalStore.load(dataDir.resolve("portals"), writer, servers, membership);
      FilePortalToggles toggles = FilePortalToggles.load(dataDir.resolve("portal-toggles"), writer, portals);
      FileSessionRevocations revocations = FileSessionRevocations.load(dataDir.resolve("session-revocations"), writer);
      FileServiceTokens serviceTokens = FileServiceTokens.load(dataDir.resolve("service-tokens"), writer);
      FilePolicyStore policies = FilePolicyStore.load(dataDir.resolve("policies"), writer);
      FileSignInStore signIn = FileSignInStore.load(dataDir.resolve("sign-in"), writer);
      FileToolCallCounts toolCalls = FileToolCallCounts.load(dataDir.resolve("tool-calls"), writer);
      return new Stores(servers, portals, audit, users, toggles, revocations, serviceTokens, policies, signIn, toolCalls, writer::close);
    });
  }
}
