package dev.mcpgateway.store;

/**
 * A service token with this id, or with this client id, exists already. Both are random (a UUID,
 * 128 bits), so only a caller that reuses them meets this; the store refuses rather than overwrite.
 */
public final class DuplicateServiceTokenException extends RuntimeException {
  public DuplicateServiceTokenException(String id) {
    super("a service token with id '" + id + "' or its client id already exists", null, false, false);
  }
}
