package dev.mcpgateway.security;

/** The associated data that binds each kind of sealed secret to what it belongs to. */
public final class SealedContexts {
  private SealedContexts() {}

  public static String credentials(String accountId, String serverId) {
    return "auth_credentials:" + accountId + "/" + serverId;
  }

  /** The tokens of a server's admin OAuth connection. */
  public static String oauthTokens(String accountId, String serverId) {
    return "oauth_tokens:" + accountId + "/" + serverId;
  }

  /** A client secret the gateway received from dynamic client registration. */
  public static String oauthClientSecret(String accountId, String serverId) {
    return "oauth_client_secret:" + accountId + "/" + serverId;
  }

  /** The PKCE verifier of a pending authorization. */
  public static String oauthVerifier(String accountId, String serverId) {
    return "oauth_verifier:" + accountId + "/" + serverId;
  }

  /** A user's own tokens for an on-behalf server. */
  public static String oauthUserTokens(String accountId, String serverId, String subject) {
    return "oauth_user_tokens:" + accountId + "/" + serverId + "/" + subject;
  }

  /** The PKCE verifier of a user's pending authorization. */
  public static String oauthUserVerifier(String accountId, String serverId, String subject) {
    return "oauth_user_verifier:" + accountId + "/" + serverId + "/" + subject;
  }

  /** The ticket in a user's authorization link. */
  public static final String OAUTH_TICKET = "oauth_user_ticket";

  /** The ticket in the URL of a portal's switches page: names the portal, the client and whose switches. */
  public static final String PORTAL_SWITCHES_TICKET = "portal_switches_ticket";

  /** The {@code state} parameter: names the server and the pending authorization's nonce. */
  public static final String OAUTH_STATE = "oauth_state";

  /** The private part of one of the built-in authorization server's signing keys. */
  public static String signInKey(String kid) {
    return "sign_in_key:" + kid;
  }

  /** A pending sign-in at the built-in authorization server, in one of its stages (login, idp, consent). */
  public static String signInTicket(String stage) {
    return "sign_in_ticket:" + stage;
  }
}
