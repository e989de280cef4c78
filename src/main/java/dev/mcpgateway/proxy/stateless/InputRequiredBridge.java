package dev.mcpgateway.proxy.stateless;

import dev.mcpgateway.proxy.ProxySettings;
import dev.mcpgateway.proxy.relay.UpstreamRelay;
import dev.mcpgateway.mcp.JsonRpc;
import dev.mcpgateway.mcp.McpProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * A stateless-era agent (2026-07-28) in front of a session-era upstream that asks the client
 * something in the middle of a request ({@code elicitation/create}, {@code sampling/createMessage},
 * {@code roots/list} on the request's event stream). The agent cannot be sent a request, so the
 * gateway does what a modern server would: it answers the agent's request with
 * {@code resultType: "input_required"} carrying the upstream's request, and holds the upstream's
 * stream. The agent's retry (a new id, {@code inputResponses}, the {@code requestState}) has its
 * answer sent upstream as the response to the upstream's request, and takes the rest of the
 * stream; the upstream may ask again, at most {@link #MAX_ROUNDS} times.
 *
 * <p>Only requests the agent declared a capability for are asked; anything else is left to the
 * relay (which refuses it upstream). The {@code requestState} is a random handle (not a signed
 * blob: the state is the open upstream stream, which lives on this replica — the retry must come
 * back to it, as a legacy SSE session must), bound to the agent's upstream session (server, client
 * token, declared capabilities) and to the request (method and name); a handle presented by
 * anyone else, or for another request, is unknown. It is used once. Nobody retrying within the
 * input timeout gives the upstream request up (reset, and {@code notifications/cancelled}).
 *
 * <p>A held stream keeps its upstream connection, from the pool every request to that upstream
 * shares: at most half of it is held per server, and {@link #MAX_HELD_PER_PRINCIPAL} per agent
 * session; past that the upstream's request is refused as if the agent had not declared it.
 */
public final class InputRequiredBridge {
  public static final String STATE_PREFIX = "mcpgw-input.";
  /** Rounds of input for one agent request (the session-era bridge has the same limit). */
  public static final int MAX_ROUNDS = ProxySettings.MAX_INPUT_ROUNDS;
  /** Streams one agent session (client token, server, declared capabilities) may have held at once. */
  public static final int MAX_HELD_PER_PRINCIPAL = 4;

  /** The request a held stream answers: only its retry, over the same upstream session, may take it. */
  public record Origin(String server, String principal, String method, String name) {}

  /**
   * A held stream and what its retry needs: {@code key} names the input request in
   * {@code inputRequests} (one per round), {@code askedId} is the id of the upstream's request to
   * the client, {@code callId} the id of the call upstream (its final response carries it),
   * {@code toUpstream} sends a message over the upstream session (answers its HTTP status),
   * {@code cancel} tells the upstream the call is given up.
   */
  public record Pending(Origin origin, String key, Object askedId, JsonObject inputRequest, UpstreamRelay.Held held,
      Function<JsonObject, Future<Integer>> toUpstream, Object callId, Runnable cancel, int round) {
    /** The same request asked again (the retry did not answer it): one more round. */
    public Pending again() {
      return new Pending(origin, keyOf(round + 1), askedId, inputRequest, held, toUpstream, callId, cancel, round + 1);
    }
  }

  private final Vertx vertx;
  private final long timeoutMs;
  private final int maxHeldPerServer;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Entry> pending = new ConcurrentHashMap<>();

  private record Entry(Pending pending, long timer) {}

  /** {@code maxConnectionsPerUpstream}: the request pool held streams take their connections from. */
  public InputRequiredBridge(Vertx vertx, long timeoutMs, int maxConnectionsPerUpstream) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.maxHeldPerServer = Math.max(1, maxConnectionsPerUpstream / 2);
  }

  /** The request an input request was asked for: only its retry, over the same kept session, may answer it. */
  public static Origin originOf(KeptSessions.Slot slot, JsonObject message) {
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    Object name = params.getValue(McpProtocol.Methods.RESOURCES_READ.equals(message.getString("method")) ? "uri" : "name");
    return new Origin(slot.server().accountId() + "/" + slot.server().id(), slot.key(), message.getString("method"),
        name instanceof String text ? text : null);
  }

  public static String keyOf(int round) {
    return "upstream-" + round;
  }

  /** Whether a request's params carry a {@code requestState} this bridge handed out (valid or not). */
  public static Optional<String> stateOf(JsonObject params) {
    return params != null && params.getValue("requestState") instanceof String state && state.startsWith(STATE_PREFIX)
        ? Optional.of(state) : Optional.empty();
  }

  /**
   * The asker for one agent request's stream: the upstream's request is asked of the agent when
   * the agent declared what it needs, the rounds are not used up and the hold limits allow it.
   */
  public UpstreamRelay.InputAsker asker(Origin origin, Object agentId, JsonObject declared, int round,
      Function<JsonObject, Future<Integer>> toUpstream, Object callId, Runnable cancel) {
    return (request, held) -> {
      String capability = McpProtocol.Stateless.INPUT_CAPABILITIES.get(request.getString("method"));
      if (capability == null || !declared.containsKey(capability) || round > MAX_ROUNDS) return null;
      if (request.containsKey("params") && !(request.getValue("params") instanceof JsonObject)) return null;
      if (held(e -> e.origin().server().equals(origin.server())) >= maxHeldPerServer
          || held(e -> e.origin().principal().equals(origin.principal())) >= MAX_HELD_PER_PRINCIPAL) {
        return null;
      }
      JsonObject input = new JsonObject().put("method", request.getString("method"));
      if (request.getValue("params") instanceof JsonObject params) input.put("params", params);
      return ask(new Pending(origin, keyOf(round), request.getValue("id"), input, held, toUpstream, callId, cancel, round), agentId);
    };
  }

  private long held(java.util.function.Predicate<Pending> which) {
    return pending.values().stream().filter(e -> which.test(e.pending())).count();
  }

  /** Holds {@code pending} under a new handle; answers the agent's {@code input_required} result. */
  public JsonObject ask(Pending request, Object agentId) {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    String state = STATE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    long timer = vertx.setTimer(timeoutMs, t -> {
      Entry lapsed = pending.remove(state);
      if (lapsed != null) lapsed.pending().held().abandon();
    });
    pending.put(state, new Entry(request, timer));
    return JsonRpc.result(agentId, new JsonObject()
        .put("resultType", "input_required")
        .put("inputRequests", new JsonObject().put(request.key(), request.inputRequest().copy()))
        .put("requestState", state));
  }

  /** The pending request {@code state} names, taken (once) when {@code origin} is the one it was asked for. */
  public Optional<Pending> take(String state, Origin origin) {
    Entry entry = pending.get(state);
    if (entry == null || !entry.pending().origin().equals(origin) || !pending.remove(state, entry)) return Optional.empty();
    vertx.cancelTimer(entry.timer());
    return Optional.of(entry.pending());
  }

  /** Gives up every held stream (at shutdown). */
  public void abandonAll() {
    pending.keySet().forEach(state -> {
      Entry entry = pending.remove(state);
      if (entry != null) {
        vertx.cancelTimer(entry.timer());
        entry.pending().held().abandon();
      }
    });
  }
}
