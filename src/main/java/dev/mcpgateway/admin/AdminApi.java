package dev.mcpgateway.admin;

import dev.mcpgateway.analytics.ToolCallAnalytics;
import dev.mcpgateway.metrics.ContextCosts;
import dev.mcpgateway.security.ApiToken;
import dev.mcpgateway.security.SecretCipher;
import dev.mcpgateway.security.ServiceTokenSecrets;
import dev.mcpgateway.security.TokenSet;
import dev.mcpgateway.store.AuditLog;
import dev.mcpgateway.store.PolicyStore;
import dev.mcpgateway.store.PortalStore;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.store.ServiceTokenStore;
import dev.mcpgateway.sync.CapabilitySync;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * The Cloudflare-compatible management API, mounted under
 * {@code /accounts/:account_id/access/ai-controls/mcp}, and Cloudflare Access's service tokens under
 * {@code /accounts/:account_id/access/service_tokens}. Authentication runs before routing, so an
 * unauthenticated caller learns nothing about which paths exist.
 */
public final class AdminApi {
  public static final String PREFIX = "/accounts/:account_id/access/ai-controls/mcp";
  public static final String SERVICE_TOKENS = "/accounts/:account_id/access/service_tokens";

  /** What the API needs from the rest of the gateway. */
  public record Settings(long maxBodyBytes, long requestTimeoutMs, boolean allowLinkLocal, boolean syncOnCreate,
      dev.mcpgateway.security.AuthThrottle authFailures, String groupsClaim) {}

  private AdminApi() {}

  public static void mount(Router router, ServerStore store, PortalStore portalStore, ServiceTokenStore serviceTokenStore,
      PolicyStore policyStore, AuditLog auditLog, TokenSet<ApiToken> tokens, SecretCipher cipher, Clock clock, CapabilitySync sync,
      Settings settings, dev.mcpgateway.upstream.oauth.OAuthConnector oauth, ContextCosts contextCosts, ToolCallAnalytics analytics) {
    AuditTrail trail = new AuditTrail(auditLog, clock);
    ServerHandlers servers = new ServerHandlers(store,
        new ServerRequestParser(new HostnamePolicy(settings.allowLinkLocal())), new ServerChanges(cipher, clock),
        sync, settings.syncOnCreate(), trail, forgotten -> oauth.revoke(forgotten), contextCosts);
    PortalHandlers portals = new PortalHandlers(portalStore, new PortalMembers(store), new PortalRequestParser(),
        new PortalChanges(clock), trail, contextCosts);
    AuditHandlers audit = new AuditHandlers(auditLog);
    AnalyticsHandlers toolCalls = new AnalyticsHandlers(store, portalStore, analytics, clock);
    ServiceTokenHandlers serviceTokens = new ServiceTokenHandlers(serviceTokenStore, new PortalMembers(store),
        new ServiceTokenChanges(clock, new ServiceTokenSecrets(new SecureRandom())), trail);
    PolicyHandlers policies = new PolicyHandlers(policyStore, portalStore, new PolicyRequestParser(settings.groupsClaim()), clock, trail);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes());
    TimeoutHandler timeout = TimeoutHandler.create(settings.requestTimeoutMs(), 503);
    JsonContentType json = new JsonContentType();
    String servers$ = PREFIX + "/servers";
    String server$ = servers$ + "/:id";
    String portals$ = PREFIX + "/portals";
    String portal$ = portals$ + "/:id";
    String serviceToken$ = SERVICE_TOKENS + "/:id";

    router.route("/accounts/:account_id/*")
        .handler(new ApiTokenAuthHandler(tokens, settings.authFailures()))
        .failureHandler(new AdminFailureHandler());
    router.get(servers$).handler(timeout).handler(servers::list);
    // the content type is judged on routes of their own, before any body handler reads the body
    router.post(servers$).handler(json);
    router.put(server$).handler(json);
    router.post(portals$).handler(json);
    router.put(portal$).handler(json);
    router.post(SERVICE_TOKENS).handler(json);
    router.put(serviceToken$).handler(json);
    router.post(serviceToken$ + "/rotate").handler(json);
    router.post(serviceToken$ + "/refresh").handler(json);
    router.post(servers$).handler(timeout).handler(body).handler(servers::create);
    router.get(server$).handler(timeout).handler(servers::read);
    router.put(server$).handler(timeout).handler(body).handler(servers::update);
    router.delete(server$).handler(timeout).handler(servers::delete);
    router.get(portals$).handler(timeout).handler(portals::list);
    router.post(portals$).handler(timeout).handler(body).handler(portals::create);
    router.get(portal$).handler(timeout).handler(portals::read);
    router.put(portal$).handler(timeout).handler(body).handler(portals::update);
    router.delete(portal$).handler(timeout).handler(portals::delete);
    router.get(PREFIX + "/audit").handler(timeout).handler(audit::list);
    router.get(PREFIX + "/analytics/tool-calls/timeseries").handler(timeout).handler(toolCalls::account);
    router.get(PREFIX + "/analytics/servers/:server_id/tool-calls/timeseries").handler(timeout).handler(toolCalls::server);
    router.get(PREFIX + "/analytics/portals/:portal_id/tool-calls/timeseries").handler(timeout).handler(toolCalls::portal);
    router.get(SERVICE_TOKENS).handler(timeout).handler(serviceTokens::list);
    router.post(SERVICE_TOKENS).handler(timeout).handler(body).handler(serviceTokens::create);
    router.get(serviceToken$).handler(timeout).handler(serviceTokens::read);
    router.put(serviceToken$).handler(timeout).handler(body).handler(serviceTokens::update);
    router.delete(serviceToken$).handler(timeout).handler(serviceTokens::delete);
    router.post(serviceToken$ + "/rotate").handler(timeout).handler(body).handler(serviceTokens::rotate);
    router.post(serviceToken$ + "/refresh").handler(timeout).handler(body).handler(serviceTokens::refresh);
    // Cloudflare's reusable Access policies; explain before :policy_id (a policy id is a UUID, never "explain")
    String policies$ = "/accounts/:account_id/access/policies";
    String policy$ = policies$ + "/:policy_id";
    router.post(policies$).handler(json);
    router.put(policy$).handler(json);
    router.get(policies$).handler(timeout).handler(policies::list);
    router.post(policies$).handler(timeout).handler(body).handler(policies::create);
    router.get(policies$ + "/explain").handler(timeout).handler(policies::explain);
    router.get(policy$).handler(timeout).handler(policies::read);
    router.put(policy$).handler(timeout).handler(body).handler(policies::update);
    router.delete(policy$).handler(timeout).handler(policies::delete);
    // no request timeout here: a sync is bounded by the upstream timeouts and always records its outcome
    router.post(server$ + "/sync").handler(servers::sync);
  }
}
