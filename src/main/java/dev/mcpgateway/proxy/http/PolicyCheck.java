package dev.mcpgateway.proxy.http;

import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.policy.AccessPolicy;
import dev.mcpgateway.policy.Policies;
import dev.mcpgateway.policy.PolicyEvaluator;
import dev.mcpgateway.policy.Verdict;
import dev.mcpgateway.security.Agent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The account's access policies on every MCP route, for signed-in users and service tokens
 * (configured client tokens are scoped by the configuration): a server's endpoint needs the server
 * allowed, a portal's the portal allowed — and the agent goes on reaching only the members whose
 * servers are allowed too, as Cloudflare lists a portal's server only when both its Access
 * applications allow the user. The built-in portal tools and Code Mode see that narrowed agent.
 */
public final class PolicyCheck implements Handler<RoutingContext> {
  private static final int FORBIDDEN = -32600;

  private final Policies policies;
  private final String portalKey;

  /** {@code portalKey}: where the portal route put the portal it found (absent on a server's route). */
  public PolicyCheck(Policies policies, String portalKey) {
    this.policies = policies;
    this.portalKey = portalKey;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Agent agent = ctx.get(AgentAuthHandler.AGENT_KEY);
    if (agent.kind() == Agent.Kind.CLIENT_TOKEN) {
      ctx.next();
      return;
    }
    Portal portal = ctx.get(portalKey);
    String account = portal != null ? portal.accountId() : ctx.pathParam("account_id");
    Future<List<AccessPolicy>> loaded = policies.of(account);
    // a read that waits for the store: the body must wait too
    boolean waiting = !loaded.isComplete();
    if (waiting) HeldBody.hold(ctx);
    loaded.onSuccess(list -> decide(ctx, agent, portal, list))
        .onFailure(e -> McpReplies.error(ctx.response(), 503, null, McpProtocol.ErrorCodes.INTERNAL_ERROR, "the gateway's store is unavailable"))
        .onComplete(done -> {
          if (waiting) HeldBody.release(ctx);
        });
  }

  private void decide(RoutingContext ctx, Agent agent, Portal portal, List<AccessPolicy> list) {
    if (portal == null) {
      Verdict verdict = PolicyEvaluator.decide(list, agent, PolicyEvaluator.TargetKind.SERVER, ctx.pathParam("server_id"));
      if (!verdict.allowed()) {
        refuse(ctx, "no access policy lets this " + who(agent) + " use this MCP server");
        return;
      }
      ctx.next();
      return;
    }
    if (!PolicyEvaluator.decide(list, agent, PolicyEvaluator.TargetKind.PORTAL, portal.id()).allowed()) {
      refuse(ctx, "no access policy lets this " + who(agent) + " use this portal");
      return;
    }
    Set<String> members = new HashSet<>();
    for (PortalServer member : portal.servers()) {
      if (PolicyEvaluator.decide(list, agent, PolicyEvaluator.TargetKind.SERVER, member.serverId()).allowed()) members.add(member.serverId());
    }
    ctx.put(AgentAuthHandler.AGENT_KEY, agent.within(members));
    ctx.next();
  }

  private static String who(Agent agent) {
    return agent.kind() == Agent.Kind.USER ? "user" : "service token";
  }

  private static void refuse(RoutingContext ctx, String message) {
    Exchange.of(ctx).outcome("rejected");
    // the policy that decided is the operator's business (the explain read); the agent learns only that it may not
    McpReplies.error(ctx.response(), 403, null, FORBIDDEN, message);
  }
}
