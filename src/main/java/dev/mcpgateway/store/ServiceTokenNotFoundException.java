package dev.mcpgateway.store;

/** No service token with this id in the account. */
public final class ServiceTokenNotFoundException extends RuntimeException {
  public ServiceTokenNotFoundException(String accountId, String id) {
    super("service token '" + id + "' not found", null, false, false);
  }
}
