package dev.mcpgateway.store;

/** An access policy with this id exists in the account already. */
public final class DuplicatePolicyException extends RuntimeException {
  public DuplicatePolicyException(String accountId, String id) {
    super("an access policy with id '" + id + "' already exists", null, false, false);
  }
}
