package dev.mcpgateway.upstream.oauth;

/**
 * What the {@code state} parameter of an authorization request names (sealed on the wire by
 * {@link StateCodec}): the server, the single-use nonce of the pending authorization it belongs
 * to, the client the authorization was started with (a callback after the client changed is
 * refused) and, for a user's authorization on an on-behalf server, the user; {@code subject} is
 * null for the admin flow.
 */
record AuthorizationState(String accountId, String serverId, String nonce, String clientId, String subject) {

  static AuthorizationState admin(String accountId, String serverId, String nonce, String clientId) {
    return new AuthorizationState(accountId, serverId, nonce, clientId, null);
  }

  static AuthorizationState user(String accountId, String serverId, String nonce, String clientId, String subject) {
    return new AuthorizationState(accountId, serverId, nonce, clientId, subject);
  }

  /** Started by a user of an on-behalf server (else by an admin). */
  boolean forUser() {
    return subject != null;
  }
}
