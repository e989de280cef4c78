package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.store.SignInStore;
import io.vertx.core.Future;
import java.util.Optional;

/** The clients the built-in authorization server knows: those registered with it (RFC 7591), from the store. */
final class Clients {
  private static final int MAX_ID_CHARS = 512;

  private final SignInStore store;

  Clients(SignInStore store) {
    this.store = store;
  }

  Future<Optional<SignInClient>> find(String clientId) {
    if (clientId == null || clientId.isEmpty() || clientId.length() > MAX_ID_CHARS) return Future.succeededFuture(Optional.empty());
    return store.client(clientId);
  }
}
