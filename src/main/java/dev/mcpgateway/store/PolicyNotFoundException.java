package dev.mcpgateway.store;

/** No access policy with this id in the account. */
public final class PolicyNotFoundException extends RuntimeException {
  public PolicyNotFoundException(String accountId, String id) {
    super("access policy '" + id + "' not found", null, false, false);
  }
}
