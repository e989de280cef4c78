package dev.mcpgateway.signin;

import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.BearerToken;
import dev.mcpgateway.security.ClientToken;
import dev.mcpgateway.security.TokenSet;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/**
 * Who is calling an MCP endpoint: a service token when the request carries Cloudflare Access's
 * {@code CF-Access-Client-Id}/{@code -Secret} headers (both needed; {@link ServiceTokenCredentials}),
 * else a configured client token (a constant-time hash look-up), else — with sign-in on — a JWT
 * access token from the authorization server. Fails with a {@link SignInRefusal} saying what RFC
 * 6750 answers.
 */
public final class AgentAuthenticator {
  private final TokenSet<ClientToken> clientTokens;
  private final ServiceTokenCredentials serviceTokens;
  private final AccessTokens accessTokens;
  private final ProtectedResources resources;

  /** {@code accessTokens} null: sign-in is off. */
  public AgentAuthenticator(TokenSet<ClientToken> clientTokens, ServiceTokenCredentials serviceTokens, AccessTokens accessTokens,
      ProtectedResources resources) {
    this.clientTokens = clientTokens;
    this.serviceTokens = serviceTokens;
    this.accessTokens = accessTokens;
    this.resources = resources;
  }

  public boolean signInEnabled() {
    return accessTokens != null;
  }

  public Future<Agent> authenticate(HttpServerRequest request) {
    String clientId = request.getHeader(ServiceTokenCredentials.CLIENT_ID_HEADER);
    String clientSecret = request.getHeader(ServiceTokenCredentials.CLIENT_SECRET_HEADER);
    if (clientId != null || clientSecret != null) return serviceTokens.authenticate(clientId, clientSecret);
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) return Future.failedFuture(new SignInRefusal(401, null, "authentication required", null));
    String token = BearerToken.from(header).orElse(null);
    if (token == null) return Future.failedFuture(SignInRefusal.invalidToken("the Authorization header is not a Bearer token"));
    ClientToken client = clientTokens.authenticate(token).orElse(null);
    if (client != null) return Future.succeededFuture(Agent.of(client));
    if (accessTokens != null && AccessTokens.looksLikeJwt(token)) return accessTokens.verify(token, resources.resource(request));
    return Future.failedFuture(SignInRefusal.invalidToken(accessTokens != null ? "unknown token" : "invalid client token"));
  }

  /**
   * The agent named {@code name} (a sealed ticket's holder, of {@code accountId}): a configured
   * client token, a service token of the account that has not expired, or with sign-in on a user —
   * as reachable as every signed-in user. Empty: no such agent any more.
   */
  public Future<Optional<Agent>> named(String name, String accountId) {
    if (name.startsWith(Agent.SERVICE_TOKEN_PREFIX)) return serviceTokens.named(accountId, name.substring(Agent.SERVICE_TOKEN_PREFIX.length()));
    Optional<Agent> token = clientTokens.named(name).map(Agent::of);
    if (token.isPresent() || accessTokens == null || !name.startsWith(Agent.USER_PREFIX)) return Future.succeededFuture(token);
    return Future.succeededFuture(Optional.of(accessTokens.userNamed(name)));
  }

  /** The scopes every access token needs, space-separated; null when none (or sign-in is off). */
  public String requiredScope() {
    return accessTokens == null ? null : accessTokens.requiredScope();
  }

  public ProtectedResources resources() {
    return resources;
  }

  /** The metadata URL of the endpoint {@code request} reached, for the challenge; null with sign-in off. */
  public String metadataUrl(HttpServerRequest request) {
    return accessTokens == null ? null : ProtectedResources.metadataUrl(resources.resource(request));
  }
}
