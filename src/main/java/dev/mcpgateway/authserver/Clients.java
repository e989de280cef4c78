package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.store.SignInStore;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The clients the built-in authorization server knows: those registered with it (RFC 7591), from
 * the store, and those whose {@code client_id} is the URL of their metadata document
 * ({@link ClientMetadataDocuments}).
 */
final class Clients {
  private static final int MAX_ID_CHARS = 512;

  private final SignInStore store;
  private final ClientMetadataDocuments documents;

  Clients(SignInStore store, ClientMetadataDocuments documents) {
    this.store = store;
    this.documents = documents;
  }

  Future<Optional<SignInClient>> find(String clientId) {
    if (clientId == null || clientId.isEmpty() || clientId.length() > MAX_ID_CHARS) return Future.succeededFuture(Optional.empty());
    if (ClientMetadataDocuments.isDocumentUrl(clientId)) return documents.find(clientId);
    return store.client(clientId);
  }
}
