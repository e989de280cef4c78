package dev.mcpgateway;

import dev.mcpgateway.admin.AdminApi;
import dev.mcpgateway.admin.AdminFailureHandler;
import dev.mcpgateway.authserver.AuthServer;
import dev.mcpgateway.health.HealthRoutes;
import dev.mcpgateway.metrics.AdminRequestMetrics;
import dev.mcpgateway.metrics.ContextCosts;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.metrics.MetricsEndpoint;
import dev.mcpgateway.proxy.McpEndpoint;
import dev.mcpgateway.proxy.McpFailureHandler;
import dev.mcpgateway.security.ApiToken;
import dev.mcpgateway.security.TokenSet;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.store.AuditLog;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.store.Stores;
import dev.mcpgateway.sync.CapabilitySync;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;

/** The one HTTP face of the gateway: MCP endpoint, management API, health and the API description on one port. */
final class GatewayVerticle extends VerticleBase {
  private final HttpServerOptions listen;
  private final ServerStore store;
  private final dev.mcpgateway.store.PortalStore portals;
  private final dev.mcpgateway.store.ServiceTokenStore serviceTokens;
  private final dev.mcpgateway.store.PolicyStore policies;
  private final AuditLog audit;
  private final TokenSet<ApiToken> tokens;
  private final SecretCipher cipher;
  private final Clock clock;
  private final CapabilitySync sync;
  private final AdminApi.Settings adminSettings;
  private final Buffer openApi;
  private final McpEndpoint mcp;
  private final dev.mcpgateway.upstream.oauth.OAuthConnector oauth;
  private final GatewayMetrics metrics;
  private final ContextCosts contextCosts;
  private final String metricsToken;
  private final int metricsPortSetting;
  private HttpServer server;
  private HttpServer metricsServer;
  private final java.time.Duration shutdownGrace;
  private final AuthServer authServer;
  private final dev.mcpgateway.analytics.ToolCallAnalytics analytics;
  private final String consolePath;

  GatewayVerticle(HttpServerOptions listen, Stores stores, TokenSet<ApiToken> tokens, SecretCipher cipher, Clock clock,
      CapabilitySync sync, AdminApi.Settings adminSettings, Buffer openApi, McpEndpoint mcp, dev.mcpgateway.upstream.oauth.OAuthConnector oauth, GatewayMetrics metrics,
      ContextCosts contextCosts, String metricsToken, int metricsPortSetting, java.time.Duration shutdownGrace, AuthServer authServer,
      dev.mcpgateway.analytics.ToolCallAnalytics analytics, String consolePath) {
    this.analytics = analytics;
    this.authServer = authServer;
    this.consolePath = consolePath;
    this.shutdownGrace = shutdownGrace;
    this.metrics = metrics;
    this.contextCosts = contextCosts;
    this.metricsToken = metricsToken;
    this.metricsPortSetting = metricsPortSetting;
    this.sync = sync;
    this.mcp = mcp;
    this.oauth = oauth;
    this.listen = listen;
    this.store = stores.servers();
    this.portals = stores.portals();
    this.serviceTokens = stores.serviceTokens();
    this.policies = stores.policies();
    this.audit = stores.audit();
    this.tokens = tokens;
    this.cipher = cipher;
    this.clock = clock;
    this.adminSettings = adminSettings;
    this.openApi = openApi;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route("/accounts/*").handler(new AdminRequestMetrics(metrics));
    AdminApi.mount(router, store, portals, serviceTokens, policies, audit, tokens, cipher, clock, sync, adminSettings, oauth, contextCosts,
        analytics);
    dev.mcpgateway.admin.OAuthRoutes.mount(router, store, tokens, oauth, adminSettings.authFailures());
    mcp.mount(router);
    if (authServer != null) authServer.mount(router);
    HealthRoutes.mount(vertx, router, store);
    router.get("/openapi.json").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(openApi));
    dev.mcpgateway.console.ConsoleRoutes.mount(router, consolePath);
    AdminFailureHandler adminFailures = new AdminFailureHandler();
    McpFailureHandler mcpFailures = new McpFailureHandler();
    io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> failures = ctx -> {
      if (McpFailureHandler.handles(ctx.request().path())) mcpFailures.handle(ctx);
      else adminFailures.handle(ctx);
    };
    for (int status : new int[] {400, 404, 405, 500}) router.errorHandler(status, failures);
    MetricsEndpoint scrape = new MetricsEndpoint(metrics, metricsToken);
    Future<?> metricsListening = Future.succeededFuture();
    if (metricsPortSetting >= 0) {
      // a management port: /metrics (and health) off the public listener
      Router management = Router.router(vertx);
      management.get("/metrics").handler(scrape);
      HealthRoutes.mount(vertx, management, store);
      metricsServer = vertx.createHttpServer(new HttpServerOptions().setHost(listen.getHost()).setPort(metricsPortSetting));
      metricsListening = metricsServer.requestHandler(management).listen();
    } else {
      router.get("/metrics").handler(scrape);
    }
    server = vertx.createHttpServer(listen).invalidRequestHandler(new InvalidRequests());
    return metricsListening.compose(v -> server.requestHandler(router).listen());
  }

  /**
   * Graceful stop: both listeners stop accepting and in-flight requests get up to the grace period
   * to finish (Vert.x's HTTP server shutdown), then agent sessions are ended upstream.
   */
  @Override
  public Future<?> stop() {
    Future<Void> metricsDown = metricsServer == null ? Future.succeededFuture() : metricsServer.shutdown(shutdownGrace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    return Future.join(server.shutdown(shutdownGrace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS), metricsDown).transform(r -> mcp.endAllSessions());
  }

  int actualPort() {
    return server.actualPort();
  }

  int metricsPort() {
    return metricsServer == null ? server.actualPort() : metricsServer.actualPort();
  }
}
