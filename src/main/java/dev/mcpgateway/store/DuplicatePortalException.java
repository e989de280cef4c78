package dev.mcpgateway.store;

/** A portal with this id already exists in the account. */
public final class DuplicatePortalException extends RuntimeException {
  public DuplicatePortalException(String accountId, String id) {
    super("a portal with id '" + id + "' already exists", null, false, false);
  }
}
