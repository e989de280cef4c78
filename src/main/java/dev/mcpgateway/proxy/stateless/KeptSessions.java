package dev.mcpgateway.proxy.stateless;

import static dev.mcpgateway.mcp.McpProtocol.Stateless.META_CAPABILITIES;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.mcpgateway.concurrency.Contexts;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.sync.Capabilities;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The upstream sessions the gateway opens and keeps for stateless-era agents: one per server,
 * client token, upstream hostname and the input capabilities the agent declares (a session-era
 * upstream learns them at {@code initialize}, and asks for input only of sessions that offer
 * them). The first request opens it (era detection included: a stateless upstream yields a
 * session of transport {@code STATELESS} that only marks the era); idle sessions expire and are
 * closed upstream, on a context of the gateway's (the cache's executor), never on ForkJoinPool.
 */
public final class KeptSessions {
  /** The input capabilities and the features of each that are passed on, in a fixed order. */
  private static final Map<String, List<String>> INPUT_FEATURES = new TreeMap<>(Map.of(
      "elicitation", List.of("form", "url"), "sampling", List.of("context", "tools"), "roots", List.of()));

  /** Which kept session a request goes over, and for whom. */
  public record Slot(String key, Capabilities capabilities, String client, JsonObject inputs) {
    public McpServer server() {
      return capabilities.server();
    }
  }

  private final McpClient client;
  private final UpstreamAuths auths;
  private final Cache<String, Future<McpSession>> sessions;

  public KeptSessions(Vertx vertx, McpClient client, UpstreamAuths auths, Duration idle) {
    this.client = client;
    this.auths = auths;
    this.sessions = Caffeine.newBuilder()
        .expireAfterAccess(idle)
        .maximumSize(10_000)
        // closing a session is upstream I/O: on a context of the gateway's, never on ForkJoinPool
        .executor(Contexts.executor(vertx.getOrCreateContext()))
        .removalListener((String key, Future<McpSession> session, RemovalCause cause) -> {
          if (session != null) session.onSuccess(McpSession::close);
        })
        .build();
  }

  public static Slot slot(Capabilities capabilities, String client, JsonObject message) {
    McpServer server = capabilities.server();
    JsonObject inputs = inputCapabilities(message);
    // whose credential the session carries is part of the key: a portal may call a server on the user's behalf or not
    return new Slot(server.accountId() + "/" + server.id() + "/" + client + (server.oauthOnBehalf() ? "/u@" : "/s@") + server.hostname()
        + "#" + inputs.encode(),
        capabilities, client, inputs);
  }

  /**
   * Of the capabilities a request declares, those that let a server ask for input mid-request,
   * reduced to what a session-era {@code initialize} can say of them ({@code elicitation} with
   * its {@code form}/{@code url} modes, {@code sampling} with {@code context}/{@code tools},
   * {@code roots}), in a fixed order: each variant is a session of its own upstream, so there are
   * few of them.
   */
  public static JsonObject inputCapabilities(JsonObject message) {
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    JsonObject meta = params.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
    JsonObject declared = meta.getValue(META_CAPABILITIES) instanceof JsonObject c ? c : new JsonObject();
    JsonObject inputs = new JsonObject();
    INPUT_FEATURES.forEach((capability, features) -> {
      if (!(declared.getValue(capability) instanceof JsonObject offered)) return;
      JsonObject kept = new JsonObject();
      features.stream().filter(offered::containsKey).forEach(feature -> kept.put(feature, new JsonObject()));
      inputs.put(capability, kept);
    });
    return inputs;
  }

  /** The slot's session, opened on first use; a failed open is not kept. */
  public Future<McpSession> session(Slot slot) {
    McpServer server = slot.server();
    Future<McpSession> session = sessions.get(slot.key(),
        k -> client.connect(server.hostname(), auths.forAgent(server, slot.client()), slot.inputs()));
    return session.recover(failure -> {
      sessions.asMap().remove(slot.key(), session);
      return Future.failedFuture(failure);
    });
  }

  /** Forgets the slot's session (the upstream forgot it, or it failed); it is closed upstream. */
  public void invalidate(Slot slot) {
    sessions.invalidate(slot.key());
  }

  /** Counts as use of the slot's session (an open subscription keeps it from expiring). */
  public void touch(Slot slot) {
    sessions.getIfPresent(slot.key());
  }

  /**
   * Answers a failure over a kept session: the upstream's JSON-RPC error as it gave it; anything
   * else as an upstream failure, with the session dropped (a new one is opened next time) unless
   * it is an authorization matter, which a new session would not cure.
   */
  public void fail(RoutingContext ctx, Slot slot, Object id, Throwable failure) {
    if (failure instanceof McpClientException.RpcError rpc) {
      Exchange.of(ctx).mcpError(rpc.code());
      McpReplies.json(ctx.response(), 200, McpReplies.error(id, rpc.code(), rpc.getMessage(), null));
      return;
    }
    if (!(failure instanceof McpClientException.NotAuthorized)) invalidate(slot);
    McpReplies.upstreamFailure(ctx.response(), Exchange.of(ctx), id, failure);
  }

  /** Ends every kept session (at shutdown). */
  public void endAll() {
    sessions.invalidateAll();
  }
}
