package dev.mcpgateway.proxy.stateless;

import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.mcp.SseParser;
import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.proxy.http.AgentEventStream;
import dev.mcpgateway.proxy.http.Exchange;
import dev.mcpgateway.proxy.http.McpReplies;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/**
 * {@code subscriptions/listen} for stateless-era agents. A stateless upstream gets the
 * subscription itself, relayed; its list changes also refresh the gateway's cache on the way. A
 * session-era upstream's list changes arrive on the GET stream of the session the gateway keeps
 * for this agent: the subscription is acknowledged with what the agent asked of tools and
 * prompts, and each {@code list_changed} there is passed on with the subscription's id (and
 * refreshes the cache). An upstream without such a stream (405, or the legacy HTTP+SSE transport,
 * whose stream is the gateway's own) gets the acknowledgement with nothing honoured, then the end,
 * as the specification has servers do for types they do not support.
 */
public final class Subscriptions {
  private static final int MAX_EVENT_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final McpClient client;
  private final UpstreamAuths auths;
  private final KeptSessions sessions;
  private final StatelessToStateless stateless;
  private final long keepAliveMs;
  /** Tells the cache of an upstream's list change (and answers the message). */
  private final BiFunction<McpServer, JsonObject, JsonObject> listChanges;

  public Subscriptions(Vertx vertx, McpClient client, UpstreamAuths auths, KeptSessions sessions, StatelessToStateless stateless,
      long keepAliveMs, BiFunction<McpServer, JsonObject, JsonObject> listChanges) {
    this.vertx = vertx;
    this.client = client;
    this.auths = auths;
    this.sessions = sessions;
    this.stateless = stateless;
    this.keepAliveMs = keepAliveMs;
    this.listChanges = listChanges;
  }

  public void listen(RoutingContext ctx, KeptSessions.Slot slot, JsonObject message) {
    Object id = message.getValue("id");
    Exchange.of(ctx).upstreamAsked();
    sessions.session(slot).onFailure(failure -> sessions.fail(ctx, slot, id, failure)).onSuccess(session -> {
      if (session.transport() == McpSession.Transport.STATELESS) {
        stateless.relay(ctx, slot.capabilities(), slot.client(), message, m -> listChanges.apply(slot.server(), m), true);
      } else if (session.transport() == McpSession.Transport.STREAMABLE_HTTP) {
        listenOverSession(ctx, slot, session, message);
      } else {
        acknowledge(ctx, id, new JsonObject()).end(done(id));
      }
    });
  }

  private void listenOverSession(RoutingContext ctx, KeptSessions.Slot slot, McpSession session, JsonObject message) {
    Object id = message.getValue("id");
    JsonObject params = message.getJsonObject("params", new JsonObject());
    JsonObject requested = params.getValue("notifications") instanceof JsonObject n ? n : new JsonObject();
    JsonObject honoured = new JsonObject();
    if (Boolean.TRUE.equals(requested.getValue("toolsListChanged"))) honoured.put("toolsListChanged", true);
    if (Boolean.TRUE.equals(requested.getValue("promptsListChanged"))) honoured.put("promptsListChanged", true);
    if (honoured.isEmpty()) {
      acknowledge(ctx, id, honoured).end(done(id));
      return;
    }
    McpServer server = slot.server();
    StreamableHttpChannel channel = client.channel();
    StreamableHttpChannel.Target[] target = new StreamableHttpChannel.Target[1];
    Future<HttpClientRequest> opening = auths.forAgent(server, slot.client()).headers()
        .compose(auth -> channel.get(target[0] = new StreamableHttpChannel.Target(server.hostname(), auth, session.sessionId(),
            session.protocolVersion()), null));
    channel.call().send(opening, null, 0, "the session's event stream", stream -> {
      if (stream.statusCode() != 200 || !McpProtocol.Headers.EVENT_STREAM.equals(StreamableHttpChannel.mediaType(stream))) {
        StreamableHttpChannel.drain(stream);
        acknowledge(ctx, id, new JsonObject()).end(done(id)); // the upstream offers no stream of its own
      } else if (ctx.response().closed()) {
        stream.request().reset();
      } else {
        relayListChanges(ctx, slot, stream, target[0], honoured, id);
      }
      return Future.succeededFuture();
    }).onFailure(e -> sessions.fail(ctx, slot, id, e));
  }

  /** The kept session's list changes that the subscription asked for, each passed on with the subscription's id. */
  private void relayListChanges(RoutingContext ctx, KeptSessions.Slot slot, HttpClientResponse stream, StreamableHttpChannel.Target target,
      JsonObject honoured, Object id) {
    StreamableHttpChannel channel = client.channel();
    AgentEventStream agent = acknowledge(ctx, id, honoured)
        .keepAlive(vertx, keepAliveMs, () -> sessions.touch(slot)); // an open subscription keeps the session in use
    Runnable close = () -> {
      stream.request().reset();
      agent.end(done(id));
    };
    SseParser parser = new SseParser(MAX_EVENT_BYTES, event -> {
      if (event.data().isEmpty() || !(Json.decodeValue(event.data()) instanceof JsonObject notice)) return;
      if (JsonRpc.isRequest(notice)) { // nobody here can answer the upstream's own requests
        channel.send(target, McpReplies.error(notice.getValue("id"), McpProtocol.ErrorCodes.METHOD_NOT_FOUND,
            "the gateway cannot forward this request to a client of MCP " + McpProtocol.Stateless.VERSION, null).toBuffer());
        return;
      }
      String method = notice.getString("method");
      boolean wanted = McpProtocol.Notifications.TOOLS_LIST_CHANGED.equals(method) && honoured.containsKey("toolsListChanged")
          || McpProtocol.Notifications.PROMPTS_LIST_CHANGED.equals(method) && honoured.containsKey("promptsListChanged");
      if (!wanted) return; // progress and logs belong to requests; other types were not asked for
      listChanges.apply(slot.server(), notice);
      agent.send(JsonRpc.notification(method, new JsonObject().put("_meta", meta(id))));
    });
    stream.handler(chunk -> {
      try {
        parser.feed(chunk);
      } catch (RuntimeException e) {
        close.run();
      }
    });
    stream.exceptionHandler(e -> close.run());
    stream.endHandler(v -> close.run());
    ctx.response().closeHandler(v -> close.run());
  }

  /** Opens the agent's stream with the subscription's first message: what of the request it honours (portals' subscriptions too). */
  public static AgentEventStream acknowledge(RoutingContext ctx, Object id, JsonObject honoured) {
    return AgentEventStream.open(ctx.response()).send(JsonRpc.notification(McpProtocol.Notifications.SUBSCRIPTIONS_ACKNOWLEDGED,
        new JsonObject().put("notifications", honoured).put("_meta", meta(id))));
  }

  /** The subscription's last message: its request's result. */
  /** The subscription's final response, which ends its stream. */
  public static JsonObject done(Object id) {
    return JsonRpc.result(id, new JsonObject().put("resultType", "complete").put("_meta", meta(id)));
  }

  /** The {@code _meta} that ties a notification to its subscription. */
  public static JsonObject meta(Object id) {
    return new JsonObject().put(McpProtocol.Stateless.META_SUBSCRIPTION, id);
  }
}
