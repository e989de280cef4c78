package dev.mcpgateway.security;

/** The associated data that binds each kind of sealed secret to what it belongs to. */
public final class SealedContexts {
  private SealedContexts() {}

  public static String credentials(String accountId, String serverId) {
    return "auth_credentials:" + accountId + "/" + serverId;
  }
}
