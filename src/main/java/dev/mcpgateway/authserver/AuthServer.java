package dev.mcpgateway.authserver;

import dev.mcpgateway.config.AuthServerSettings;
import dev.mcpgateway.config.SignInSettings;
import dev.mcpgateway.security.AuthThrottle;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.store.PortalStore;
import dev.mcpgateway.store.SessionRevocations;
import dev.mcpgateway.store.SignInStore;
import dev.mcpgateway.upstream.OutboundGuard;
import dev.mcpgateway.upstream.oauth.OAuthHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The built-in authorization server ({@code sign_in.mode: builtin}): the gateway is the OAuth 2.1
 * authorization server its MCP clients discover from the protected resource metadata, register
 * with and sign in at, while the login itself is delegated to an upstream OpenID Connect provider
 * ({@link IdpLogin}) or, without one, to bootstrap local users ({@link LocalLogin}). Its issuer is
 * {@code oauth.public_base_url}; its routes:
 * <pre>
 *   GET  /.well-known/oauth-authorization-server  metadata (RFC 8414)
 *   GET  /jwks                                    its public signing keys
 *   POST /register                                dynamic client registration (RFC 7591)
 *   GET  /authorize                               the sign-in (PKCE S256, resource required)
 *   GET  /authorize/callback                      the upstream IdP's redirect
 *   POST /authorize/login                         the local users' form
 *   POST /authorize/consent                       the consent form
 *   POST /token                                   authorization_code, refresh_token
 *   POST /revoke                                  revocation (RFC 7009)
 * </pre>
 * State is in the {@link SignInStore} (clients, grants, codes and refresh tokens by hash, sealed
 * signing keys) so that any replica answers any step, and any replica's verifier checks any token
 * against the keys in the store ({@link #publicKeys}), never over HTTP to itself.
 */
public final class AuthServer {
  static final String METADATA_PATH = "/.well-known/oauth-authorization-server";
  static final String JWKS_PATH = "/jwks";
  static final String REGISTER_PATH = "/register";
  static final String AUTHORIZE_PATH = "/authorize";
  static final String CALLBACK_PATH = "/authorize/callback";
  static final String LOGIN_PATH = "/authorize/login";
  static final String CONSENT_PATH = "/authorize/consent";
  static final String TOKEN_PATH = "/token";
  static final String REVOKE_PATH = "/revoke";
  private static final long PURGE_EVERY_MS = Duration.ofMinutes(10).toMillis();

  private final Vertx vertx;
  private final SignInStore store;
  private final Clock clock;
  private final String issuer;
  private final List<String> scopes;
  private final KeyRing keys;
  private final UpstreamIdp idp;
  private final Consent consent;
  private final Login login;
  private final AuthorizeEndpoint authorize;
  private final RegistrationEndpoint registration;
  private final TokenEndpoint token;
  private final RevocationEndpoint revocation;
  private final RevokedGrants revokedGrants;
  private final OAuthHttp documentsHttp;
  private long purgeTimer = -1;

  /**
   * @param ticketTtl how long a sign-in may take ({@code oauth.authorization_ttl_ms})
   * @param events (step, outcome) of every request, for the metric
   */
  public AuthServer(Vertx vertx, SignInSettings signIn, SignInStore store, PortalStore portals, SessionRevocations revocations, SecretCipher cipher,
      Clock clock, Duration ticketTtl, OAuthHttp http, AuthThrottle failures, BiConsumer<String, String> events) {
    AuthServerSettings settings = signIn.authServer();
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.issuer = signIn.issuer();
    this.scopes = signIn.scopes().isEmpty() ? List.of("mcp") : signIn.scopes();
    this.keys = new KeyRing(vertx, store, cipher, clock, signIn.jwksRefresh(), settings.signingKeyRotation(),
        settings.accessTokenTtl().plus(signIn.clockSkew()));
    SignInTickets tickets = new SignInTickets(cipher, clock, ticketTtl, issuer.startsWith("https:"));
    this.consent = new Consent(tickets, store, clock, issuer, events);
    this.idp = settings.idp() == null ? null : new UpstreamIdp(vertx, http, settings.idp(), signIn);
    this.login = idp != null ? new IdpLogin(idp, tickets, consent, issuer, signIn.emailClaim(), signIn.groupsClaim(), events)
        : new LocalLogin(vertx, settings.localUsers(), tickets, consent, failures, events);
    RedirectUris redirectUris = new RedirectUris(settings.redirectUris());
    // a client metadata document's URL is anyone's to name: fetched by a client of its own that reaches public addresses only
    this.documentsHttp = new OAuthHttp(vertx, OutboundGuard.create(vertx, new OutboundGuard.Policy(false, true)), 5_000, 10_000);
    Clients clients = new Clients(store, new ClientMetadataDocuments(documentsHttp::get, redirectUris, clock));
    this.authorize = new AuthorizeEndpoint(clients, new McpResources(issuer, signIn.accounts(), portals), tickets, login, issuer, scopes, events);
    this.registration = new RegistrationEndpoint(store, redirectUris, clock, settings.maxClients(), events);
    ClientAuthentication authentication = new ClientAuthentication(clients);
    // kept while a revoked grant's access tokens could still pass: their lifetime plus the skew the check allows
    this.revokedGrants = new RevokedGrants(vertx, revocations, clock, settings.accessTokenTtl().plus(signIn.clockSkew()));
    this.token = new TokenEndpoint(authentication, store, new TokenIssuer(keys, clock, issuer, settings.accessTokenTtl(),
        settings.refreshTokenTtl(), signIn.emailClaim(), signIn.groupsClaim()), revokedGrants, clock, settings.sessionMaxAge(), events);
    this.revocation = new RevocationEndpoint(authentication, store, revokedGrants, clock, events);
  }

  /** Reads (or makes) the signing keys and the revoked grants, then purges expired grants every ten minutes. */
  public Future<Void> start() {
    return keys.start().compose(v -> revokedGrants.start()).onSuccess(v -> purgeTimer = vertx.setPeriodic(PURGE_EVERY_MS, id -> store.purgeExpired(clock.instant())));
  }

  public void stop() {
    keys.stop();
    revokedGrants.stop();
    if (purgeTimer >= 0) vertx.cancelTimer(purgeTimer);
    if (idp != null) idp.stop();
    documentsHttp.close();
  }

  /** The public keys to trust, read again from the store: the source of the gateway's own access-token verifier. */
  public Future<List<JsonObject>> publicKeys() {
    return keys.publicKeys();
  }

  /** Whether an access token's claims name a grant revoked since it was issued: the verifier refuses it. */
  public boolean revoked(JsonObject claims) {
    return revokedGrants.isRevoked(claims);
  }

  /** Told when this replica made or removed a signing key. */
  public void onKeysChanged(Runnable listener) {
    keys.onChange(listener);
  }

  /** Makes a new signing key now if the newest is due (tests and operators' tooling; the timer does it otherwise). */
  public Future<Void> maintainKeys() {
    return keys.maintain();
  }

  public void mount(Router router) {
    router.get(METADATA_PATH).handler(ctx -> OAuthReplies.json(ctx, 200, metadata()));
    router.get(METADATA_PATH + "/*").handler(ctx -> OAuthReplies.json(ctx, 200, metadata()));
    router.get(JWKS_PATH).handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "public, max-age=300").putHeader("Access-Control-Allow-Origin", "*")
          .putHeader("Content-Type", "application/json").end(new JsonObject().put("keys", new JsonArray(keys.published())).encode());
    });
    for (String path : List.of(METADATA_PATH, JWKS_PATH, REGISTER_PATH, TOKEN_PATH, REVOKE_PATH)) OAuthReplies.allowCrossOrigin(router, path);
    router.post(REGISTER_PATH).handler(registration);
    router.get(AUTHORIZE_PATH).handler(authorize);
    router.post(CONSENT_PATH).handler(consent::decide);
    login.mount(router);
    router.post(TOKEN_PATH).handler(token);
    router.post(REVOKE_PATH).handler(revocation);
  }

  /** RFC 8414 metadata. */
  private JsonObject metadata() {
    JsonArray methods = new JsonArray().add("none").add("client_secret_post").add("client_secret_basic");
    return new JsonObject()
        .put("issuer", issuer)
        .put("authorization_endpoint", issuer + AUTHORIZE_PATH)
        .put("token_endpoint", issuer + TOKEN_PATH)
        .put("registration_endpoint", issuer + REGISTER_PATH)
        .put("revocation_endpoint", issuer + REVOKE_PATH)
        .put("jwks_uri", issuer + JWKS_PATH)
        .put("scopes_supported", new JsonArray(scopes))
        .put("response_types_supported", new JsonArray().add("code"))
        .put("response_modes_supported", new JsonArray().add("query"))
        .put("grant_types_supported", new JsonArray().add("authorization_code").add("refresh_token"))
        .put("code_challenge_methods_supported", new JsonArray().add("S256"))
        .put("token_endpoint_auth_methods_supported", methods)
        .put("revocation_endpoint_auth_methods_supported", methods.copy())
        .put("authorization_response_iss_parameter_supported", true)
        .put("client_id_metadata_document_supported", true);
  }
}
