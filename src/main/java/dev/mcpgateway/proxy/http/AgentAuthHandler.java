package dev.mcpgateway.proxy.http;

import dev.mcpgateway.security.Agent;
import dev.mcpgateway.security.AuthThrottle;
import dev.mcpgateway.signin.AgentAuthenticator;
import dev.mcpgateway.signin.SignInRefusal;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;

/**
 * Authenticates agents on the MCP endpoint ({@link AgentAuthenticator}: a service token's
 * {@code CF-Access-Client-Id}/{@code -Secret}, a client token, or with sign-in on an OAuth access token) and answers as RFC 6750 and the MCP authorization
 * specification say: 401 with {@code WWW-Authenticate: Bearer} naming the endpoint's protected
 * resource metadata (discovery starts from this alone) and {@code error="invalid_token"} when a
 * token was sent; 403 {@code insufficient_scope} with the {@code scope} to ask for; 403 when the
 * agent may not use this account or server. The credential is consumed here: nothing downstream
 * forwards it (no token passthrough).
 */
public final class AgentAuthHandler implements Handler<RoutingContext> {
  public static final String AGENT_KEY = Agent.class.getName();
  /** JSON-RPC has no authentication code; -32600 is what the SDK servers answer with their 401s. */
  private static final int NOT_AUTHORIZED = -32600;

  private final AgentAuthenticator authenticator;
  private final AuthThrottle failures;
  private final BiConsumer<String, String> outcomes;

  /** {@code outcomes}: (agent kind or "none", outcome) of every attempt, for the sign-in metric. */
  public AgentAuthHandler(AgentAuthenticator authenticator, AuthThrottle failures, BiConsumer<String, String> outcomes) {
    this.authenticator = authenticator;
    this.failures = failures;
    this.outcomes = outcomes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (failures.blocked(ctx.request())) {
      ctx.response().putHeader("Retry-After", "60");
      McpReplies.error(ctx.response(), 429, null, NOT_AUTHORIZED, "too many failed authentications from this address; retry later");
      return;
    }
    Future<Agent> authenticated = authenticator.authenticate(ctx.request());
    // waiting for the authorization server's keys: the body must wait too, or it is read, unheard, before the handler
    // that reads it runs (Vert.x web does not pause requests); resumed once the next handlers have attached theirs
    boolean waiting = !authenticated.isComplete();
    if (waiting) HeldBody.hold(ctx);
    authenticated.onComplete(result -> {
      if (!ctx.response().ended()) {
        if (result.succeeded()) admit(ctx, result.result());
        else refuse(ctx, result.cause() instanceof SignInRefusal refusal ? refusal
            : new SignInRefusal(503, null, "agent authentication is unavailable; retry later", null));
      }
      if (waiting) HeldBody.release(ctx);
    });
  }

  private void admit(RoutingContext ctx, Agent agent) {
    // a portal at a host names no account: its route checks the agent against the portal's once it is found
    String account = ctx.pathParam("account_id");
    String server = ctx.pathParam("server_id");
    if (account != null && !(server == null ? agent.mayUseAccount(account) : agent.mayUse(account, server))) {
      outcomes.accept(agent.kind().label(), "forbidden");
      McpReplies.error(ctx.response(), 403, null, NOT_AUTHORIZED, "this " + switch (agent.kind()) {
        case USER -> "user";
        case SERVICE_TOKEN -> "service token";
        case CLIENT_TOKEN -> "client token";
      } + " may not use this MCP server");
      return;
    }
    outcomes.accept(agent.kind().label(), "ok");
    ctx.put(AGENT_KEY, agent);
    ctx.next();
  }

  private void refuse(RoutingContext ctx, SignInRefusal refusal) {
    if (refusal.status() == 401 && refusal.error() != null) failures.failed(ctx.request());
    outcomes.accept("none", refusal.error() != null ? refusal.error() : refusal.status() == 401 ? "missing" : "unavailable");
    if (refusal.status() == 401 || refusal.status() == 403) ctx.response().putHeader("WWW-Authenticate", challenge(ctx, refusal));
    if (refusal.status() == 503) ctx.response().putHeader("Retry-After", "5");
    String message = refusal.status() == 401 && refusal.error() == null
        ? "authentication required: sign in (OAuth), send Authorization: Bearer <client token>, or a service token's "
            + "CF-Access-Client-Id and CF-Access-Client-Secret"
        : refusal.getMessage();
    McpReplies.error(ctx.response(), refusal.status(), null, NOT_AUTHORIZED, message);
  }

  private String challenge(RoutingContext ctx, SignInRefusal refusal) {
    StringBuilder challenge = new StringBuilder("Bearer realm=\"mcp-gateway\"");
    String metadata = authenticator.metadataUrl(ctx.request());
    if (metadata != null) challenge.append(", resource_metadata=\"").append(metadata).append('"');
    if (refusal.error() != null) {
      challenge.append(", error=\"").append(refusal.error()).append("\", error_description=\"").append(refusal.getMessage()).append('"');
    }
    // the scopes to ask for: those a 403 lacks, else (MCP authorization spec) those every token needs
    String scope = refusal.scope() != null ? refusal.scope() : authenticator.requiredScope();
    if (scope != null) challenge.append(", scope=\"").append(scope).append('"');
    return challenge.toString();
  }
}
