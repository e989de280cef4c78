package dev.mcpgateway;

import dev.mcpgateway.admin.AdminApi;
import dev.mcpgateway.analytics.ToolCallAnalytics;
import dev.mcpgateway.authserver.AuthServer;
import dev.mcpgateway.config.GatewayConfig;
import dev.mcpgateway.security.AdminTokenBootstrap;
import dev.mcpgateway.security.AuthThrottle;
import dev.mcpgateway.security.ApiToken;
import dev.mcpgateway.security.TokenSet;
import dev.mcpgateway.signin.AccessTokens;
import dev.mcpgateway.signin.AgentAuthenticator;
import dev.mcpgateway.signin.ProtectedResources;
import dev.mcpgateway.signin.ServiceTokenCredentials;
import dev.mcpgateway.signin.SigningKeys;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.security.SecretKeyFile;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.metrics.ContextBudget;
import dev.mcpgateway.metrics.ContextCosts;
import dev.mcpgateway.metrics.EventLoopLag;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.metrics.ServerGaugeUpdates;
import dev.mcpgateway.proxy.McpEndpoint;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.store.Stores;
import dev.mcpgateway.sync.CapabilityCache;
import dev.mcpgateway.sync.CapabilitySync;
import dev.mcpgateway.sync.SyncScheduler;
import dev.mcpgateway.upstream.OutboundGuard;
import dev.mcpgateway.upstream.UpstreamAuths;
import dev.mcpgateway.upstream.oauth.OAuthConnector;
import dev.mcpgateway.upstream.oauth.OAuthHttp;
import dev.mcpgateway.upstream.oauth.OAuthTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * A running gateway: configuration → secret key and API tokens → store → verticle. Used by
 * {@link Main} and by the tests, which start real gateways on port 0.
 */
public final class Gateway {
  private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

  private final Vertx vertx;
  private final Stores stores;
  private final McpClient client;
  private final OAuthHttp oauthHttp;
  private final CapabilityCache cache;
  private final CapabilitySync sync;
  private final SyncScheduler scheduler;
  private final McpEndpoint mcp;
  private final SigningKeys signingKeys;
  private final AuthServer authServer;
  private final String deploymentId;
  private final int port;
  private final int metricsPort;
  private final EventLoopLag lag;
  private final ToolCallAnalytics analytics;

  private Gateway(Vertx vertx, Stores stores, McpClient client, OAuthHttp oauthHttp, CapabilityCache cache, CapabilitySync sync,
      SyncScheduler scheduler, McpEndpoint mcp, SigningKeys signingKeys, AuthServer authServer, String deploymentId, int port, int metricsPort,
      EventLoopLag lag, ToolCallAnalytics analytics) {
    this.analytics = analytics;
    this.authServer = authServer;
    this.oauthHttp = oauthHttp;
    this.metricsPort = metricsPort;
    this.lag = lag;
    this.mcp = mcp;
    this.signingKeys = signingKeys;
    this.vertx = vertx;
    this.stores = stores;
    this.client = client;
    this.cache = cache;
    this.sync = sync;
    this.scheduler = scheduler;
    this.deploymentId = deploymentId;
    this.port = port;
  }

  private record Secrets(SecretCipher cipher, List<ApiToken> tokens) {}

  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock) {
    return start(vertx, config, clock, GatewayMetrics.create(clock));
  }

  /** Starts on {@code metrics}' registry: the one Vert.x reports its HTTP metrics to (see {@link Main}). */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Clock clock, GatewayMetrics metrics) {
    SecureRandom random = new SecureRandom();
    Future<Secrets> secrets = vertx.executeBlocking(() -> new Secrets(
        new SecretCipher(SecretKeyFile.resolve(config.security().secretKey(), config.dataDir(), random), random),
        AdminTokenBootstrap.resolve(config.security().apiTokens(), config.security().adminToken(), config.dataDir(), random, System.out)));
    // from the jar itself: Vert.x's file resolver would prefer a stray openapi.json in the working directory
    Future<Buffer> openApi = vertx.executeBlocking(() -> {
      try (var in = Gateway.class.getResourceAsStream("/openapi.json")) {
        if (in == null) throw new IllegalStateException("openapi.json missing from the classpath");
        return Buffer.buffer(in.readAllBytes());
      }
    });
    return Future.all(secrets, openApi)
        .compose(ready -> config.store().open(vertx))
        .compose(stores -> {
          ServerStore store = stores.servers();
          SecretCipher cipher = secrets.result().cipher();
          OutboundGuard guard = OutboundGuard.create(vertx, config.outbound());
          McpClient client = new McpClient(vertx, config.clientOptions(), guard);
          io.micrometer.core.instrument.Gauge.builder("mcp_gateway_upstream_circuits_open", client, McpClient::openCircuits)
              .description("upstreams (host and port) whose circuit breaker is open or half open: failing connections, not called for a while")
              .register(metrics.registry());
          OAuthHttp oauthHttp = new OAuthHttp(vertx, guard, config.upstream().connectTimeoutMs(), config.upstream().requestTimeoutMs());
          OAuthConnector oauth = new OAuthConnector(store, stores.users(), cipher, oauthHttp, config.oauth(), clock, metrics::oauthTokenRequest);
          UpstreamAuths auths = new UpstreamAuths(cipher, new OAuthTokens(store, stores.users(), cipher, oauth, oauthHttp, config.oauth(), clock,
              metrics::oauthTokenRequest));
          CapabilityCache cache = new CapabilityCache(vertx, store, config.cache().maxServers());
          cache.bindTo(metrics.registry());
          ServerGaugeUpdates.follow(store, metrics);
          CapabilitySync sync = new CapabilitySync(vertx, store, client, auths, clock, metrics);
          SyncScheduler scheduler = new SyncScheduler(vertx, store, sync, clock, config.sync().schedule());
          AuthThrottle authFailures = new AuthThrottle(config.limits().authFailures(System::nanoTime));
          AuthServer authServer = config.signIn().builtIn() ? new AuthServer(vertx, config.signIn(), stores.signIn(), stores.portals(), stores.revocations(), cipher,
              clock, config.oauth().authorizationTtl(), oauthHttp, authFailures, metrics::authServerEvent) : null;
          // built in: the verifier trusts the keys in the store (any replica's), not a JWKS read over HTTP from itself
          SigningKeys signingKeys = !config.signIn().enabled() ? null : authServer != null
              ? new SigningKeys(vertx, config.signIn(), authServer::publicKeys, System::nanoTime, metrics::signInKeyRead)
              : new SigningKeys(vertx, config.signIn(), System::nanoTime, metrics::signInKeyRead);
          if (authServer != null) authServer.onKeysChanged(signingKeys::reload);
          AgentAuthenticator agents = new AgentAuthenticator(new TokenSet<>(config.security().clientTokens()),
              new ServiceTokenCredentials(vertx, stores.serviceTokens(), clock),
              signingKeys == null ? null : authServer != null ? new AccessTokens(config.signIn(), signingKeys, authServer::revoked)
                  : new AccessTokens(config.signIn(), signingKeys),
              new ProtectedResources(config.signIn(), config.oauth().publicBaseUrl()));
          ToolCallAnalytics analytics = ToolCallAnalytics.start(vertx, stores.toolCalls(), clock, config.analytics(), metrics);
          McpEndpoint mcp = new McpEndpoint(vertx, metrics, config.limits(), authFailures, agents, cipher, cache, sync,
              client, auths, config.proxy(), clock, stores, oauth, config.oauth(), config.codeMode());
          ContextCosts contextCosts = new ContextCosts(vertx, mcp::portalContext, metrics, new ContextBudget(config.metrics().contextTokenBudget()));
          contextCosts.follow(store, stores.portals());
          GatewayVerticle verticle = new GatewayVerticle(config.server().listenOptions(), stores,
              new TokenSet<>(secrets.result().tokens()), cipher, clock, sync,
              new AdminApi.Settings(config.server().maxBodyBytes(), config.server().requestTimeoutMs(), config.outbound().allowLinkLocal(),
                  config.sync().onCreate(),
                  authFailures, config.signIn().groupsClaim()),
              openApi.result(), mcp, oauth, metrics, contextCosts, config.metrics().token(), config.metrics().port(), config.server().shutdownGrace(),
              authServer, analytics, config.server().consolePath());
          Future<Void> keys = (authServer == null ? Future.<Void>succeededFuture() : authServer.start())
              .compose(v -> signingKeys == null ? Future.<Void>succeededFuture() : signingKeys.start());
          return mcp.start().compose(v -> keys).compose(v -> vertx.deployVerticle(verticle))
              .map(id -> new Gateway(vertx, stores, client, oauthHttp, cache, sync, scheduler, mcp, signingKeys, authServer, id, verticle.actualPort(),
                  verticle.metricsPort(), EventLoopLag.start(vertx, metrics, 1000), analytics))
              .onSuccess(g -> scheduler.start())
              .onFailure(e -> {
                if (signingKeys != null) signingKeys.stop();
                if (authServer != null) authServer.stop();
              })
              .onFailure(e -> analytics.stop().eventually(mcp::stopSandboxes).eventually(client::close).eventually(oauthHttp::close).eventually(stores::close));
        })
        .onSuccess(g -> LOG.log(System.Logger.Level.INFO,
            "mcp-gateway listening on " + config.server().host() + ":" + g.port + " (" + config.store().kind() + " store); admin console at "
                + consoleUrl(config, g.port)));
  }

  public int port() {
    return port;
  }

  /** The console's address for the start line: this host as a browser on it reaches the listener. */
  static String consoleUrl(GatewayConfig config, int port) {
    String host = config.server().host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) host = "localhost";
    else if (host.contains(":")) host = "[" + host + "]";
    return "http://" + host + ":" + port + config.server().consolePath() + "/";
  }

  /** The port serving /metrics: the main one unless {@code metrics.port} moved it. */
  public int metricsPort() {
    return metricsPort;
  }

  public ServerStore store() {
    return stores.servers();
  }

  /** The servers' store with the audit log and user connections that share its storage. */
  public Stores stores() {
    return stores;
  }

  public CapabilityCache cache() {
    return cache;
  }

  public CapabilitySync sync() {
    return sync;
  }

  public McpEndpoint mcp() {
    return mcp;
  }

  /** Tool-call analytics: the counter, its flushes and the counts the API answers. */
  public ToolCallAnalytics analytics() {
    return analytics;
  }

  public SyncScheduler scheduler() {
    return scheduler;
  }

  /** The built-in authorization server; null unless {@code sign_in.mode} is builtin. */
  public AuthServer authServer() {
    return authServer;
  }

  /**
   * Stops syncing, stops accepting and lets in-flight requests finish (up to the grace period), ends
   * agent sessions upstream, stores the tool-call counts not flushed yet, then closes the upstream clients and the
   * store (every acknowledged write is already durable: the embedded store fsyncs before it answers), and Code Mode's
   * sandbox processes.
   */
  public Future<Void> stop() {
    scheduler.stop();
    lag.stop(vertx);
    if (signingKeys != null) signingKeys.stop();
    if (authServer != null) authServer.stop();
    return vertx.undeploy(deploymentId).eventually(analytics::stop).eventually(mcp::stopSandboxes).eventually(client::close).eventually(oauthHttp::close).eventually(stores::close);
  }
}
