package dev.mcpgateway.sync;

import dev.mcpgateway.tracing.MessageSpan;
import dev.mcpgateway.tracing.TracedWork;
import dev.mcpgateway.tracing.Tracing;
import io.opentelemetry.api.common.Attributes;
import dev.mcpgateway.mcp.McpClient;
import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.McpSession;
import dev.mcpgateway.metrics.GatewayMetrics;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.model.ServerStatus;
import dev.mcpgateway.store.ServerStore;
import dev.mcpgateway.upstream.UpstreamAuths;
import io.vertx.core.AsyncResult;
import dev.mcpgateway.concurrency.Contexts;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connects to a server's upstream, fetches every page of {@code tools/list} and {@code prompts/list}
 * (objects stored exactly as received), and records the outcome on the server: on success
 * {@code ready} with the lists, on failure {@code error} with Cloudflare's error details while the
 * previously synced lists are kept. {@code last_synced} is set on every attempt. Concurrent syncs
 * of one server share one upstream session and one result.
 */
public final class CapabilitySync {
  private static final System.Logger LOG = System.getLogger(CapabilitySync.class.getName());

  private final ServerStore store;
  private final McpClient client;
  private final UpstreamAuths auths;
  private final Clock clock;
  private final Map<ServerKey, Future<SyncReport>> inFlight = new ConcurrentHashMap<>();

  private final GatewayMetrics metrics;
  private final Context context;
  private final Tracing tracing;

  public CapabilitySync(Vertx vertx, ServerStore store, McpClient client, UpstreamAuths auths, Clock clock, GatewayMetrics metrics) {
    this.context = vertx.getOrCreateContext();
    this.tracing = Tracing.of(vertx);
    this.metrics = metrics;
    this.store = store;
    this.client = client;
    this.auths = auths;
    this.clock = clock;
  }

  private record Fetched(JsonArray tools, JsonArray prompts, Map<String, CacheHints> hints) {}

  /** Cache hints of the last successful sync of stateless-era upstreams, by server and list method; replica-local. */
  private final Map<ServerKey, Map<String, CacheHints>> hints = new ConcurrentHashMap<>();
  /** When a list past its ttl last started a refresh, so an unanswered upstream is not asked on every list. */
  private final Map<ServerKey, Instant> refreshed = new ConcurrentHashMap<>();

  public McpClient client() {
    return client;
  }

  /**
   * Syncs now, or joins the sync of this server already running. Syncs run on the sync context
   * (so the in-flight table has one writer and upstream I/O starts on a context the gateway
   * owns); the outcome comes back on the caller's context.
   */
  public Future<SyncReport> sync(String accountId, String id) {
    io.opentelemetry.context.Context caller = io.opentelemetry.context.Context.current(); // the admin request's trace, if any
    return Contexts.on(context, () -> startOrJoin(new ServerKey(accountId, id), caller));
  }

  private Future<SyncReport> startOrJoin(ServerKey key) {
    return startOrJoin(key, io.opentelemetry.context.Context.root());
  }

  private Future<SyncReport> startOrJoin(ServerKey key, io.opentelemetry.context.Context trace) {
    Future<SyncReport> running = inFlight.get(key);
    if (running != null) return running;
    Promise<SyncReport> mine = Promise.promise();
    inFlight.put(key, mine.future());
    mine.future().onComplete(r -> inFlight.remove(key, mine.future()));
    // started outside the table: its I/O never runs under a map lock
    TracedWork.run(tracing, trace, "mcp_gateway sync", Attributes.of(MessageSpan.ACCOUNT, key.accountId(), MessageSpan.SERVER, key.id()),
        () -> run(key.accountId(), key.id())).onComplete(mine);
    return mine.future();
  }

  /**
   * A sync that starts after whatever is running now: for changes the running one may have missed
   * (an upstream's list_changed). Several such requests during one run share the next run.
   */
  public Future<SyncReport> syncAgain(String accountId, String id) {
    return Contexts.on(context, () -> {
      Future<SyncReport> running = inFlight.get(new ServerKey(accountId, id));
      return running == null ? startOrJoin(new ServerKey(accountId, id)) : running.transform(r -> startOrJoin(new ServerKey(accountId, id)));
    });
  }

  private Future<SyncReport> run(String accountId, String id) {
    Instant attempt = now();
    long started = System.nanoTime();
    return store.get(accountId, id).compose(server -> fetch(server)
        .recover(failure -> rejectedToken(failure)
            ? auths.renewAfterRejection(server).compose(renewed -> renewed
                ? store.get(accountId, id).compose(this::fetch) // once, with the renewed token
                : Future.failedFuture(failure))
            : Future.failedFuture(failure))
        .transform(outcome -> {
          if (outcome.succeeded() && outcome.result().hints().isEmpty()) hints.remove(new ServerKey(accountId, id));
          else if (outcome.succeeded()) hints.put(new ServerKey(accountId, id), outcome.result().hints());
          return store.update(accountId, id, current -> record(current, server, outcome, attempt));
        })
        .map(updated -> new SyncReport(updated, warnings(updated))))
        .onSuccess(report -> metrics.sync(report.server().status().wire(), System.nanoTime() - started));
  }

  /**
   * Whether an agent's {@code tools/list} or {@code prompts/list} may be answered from the synced
   * list, honouring what the upstream said of it (see {@link CacheHints}); a list past a positive
   * {@code ttlMs} is still served while a refresh runs (at most one per ttl).
   */
  public boolean servesFromCache(McpServer server, String method) {
    ServerKey key = ServerKey.of(server);
    CacheHints hint = hints.getOrDefault(key, Map.of()).get(method);
    if (hint == null) return true;
    if (!hint.servesEveryAgent(server)) return false;
    Instant now = now();
    if (hint.expired(now)) {
      Instant last = refreshed.get(key);
      if (last == null || now.isAfter(last.plusMillis(hint.ttlMs()))) {
        refreshed.put(key, now);
        sync(server.accountId(), server.id());
      }
    }
    return true;
  }

  private static boolean rejectedToken(Throwable failure) {
    return failure instanceof dev.mcpgateway.mcp.McpClientException.HttpStatus e && e.status() == 401;
  }

  private Future<Fetched> fetch(McpServer server) {
    Future<McpSession> connected;
    try {
      connected = client.connect(server.hostname(), auths.forServer(server));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Map<String, CacheHints> seen = new ConcurrentHashMap<>();
    return connected.compose(session -> listAll(session, McpProtocol.Methods.TOOLS_LIST, "tools", seen)
        .compose(tools -> (session.serverCapabilities().containsKey("prompts")
                ? listAll(session, McpProtocol.Methods.PROMPTS_LIST, "prompts", seen)
                : Future.succeededFuture(new JsonArray()))
            .map(prompts -> new Fetched(tools, prompts, session.transport() == McpSession.Transport.STATELESS ? Map.copyOf(seen) : Map.of())))
        // ending the upstream session is courtesy: the outcome does not wait for it
        .onComplete(r -> session.close()));
  }

  /** Follows {@code nextCursor} to the end; a repeated cursor or too many pages is an error. */
  private Future<JsonArray> listAll(McpSession session, String method, String field, Map<String, CacheHints> hints) {
    return page(session, method, field, null, new JsonArray(), new HashSet<>(), 1, hints);
  }

  private Future<JsonArray> page(McpSession session, String method, String field, String cursor, JsonArray all,
      Set<String> seenCursors, int pageNumber, Map<String, CacheHints> hints) {
    JsonObject params = cursor == null ? null : new JsonObject().put("cursor", cursor);
    return session.request(method, params).compose(result -> {
      hints.merge(method, CacheHints.of(result, now()), CacheHints::and);
      if (!(result.getValue(field) instanceof JsonArray items)) {
        return Future.failedFuture(new McpClientException.ProtocolViolation(method + " result has no '" + field + "' array"));
      }
      for (Object item : items) {
        if (!(item instanceof JsonObject object) || !(object.getValue("name") instanceof String)) {
          return Future.failedFuture(new McpClientException.ProtocolViolation(method + " returned an item without a name"));
        }
        all.add(object);
      }
      Object next = result.getValue("nextCursor");
      if (next == null) return Future.succeededFuture(all);
      if (!(next instanceof String nextCursor)) {
        return Future.failedFuture(new McpClientException.ProtocolViolation(method + " returned a nextCursor that is not a string"));
      }
      if (!seenCursors.add(nextCursor)) {
        return Future.failedFuture(new McpClientException.ProtocolViolation(method + " returned a cursor it had returned before"));
      }
      if (pageNumber >= client.limits().maxPages()) {
        return Future.failedFuture(new McpClientException.ProtocolViolation(
            method + " has more than " + client.limits().maxPages() + " pages"));
      }
      return page(session, method, field, nextCursor, all, seenCursors, pageNumber + 1, hints);
    });
  }

  /**
   * The server after this attempt. If the admin changed the hostname or auth type while the sync
   * ran, what was fetched describes the old upstream and is dropped.
   */
  private McpServer record(McpServer current, McpServer syncedFrom, AsyncResult<Fetched> outcome, Instant attempt) {
    if (!current.hostname().equals(syncedFrom.hostname()) || current.authType() != syncedFrom.authType()) return current;
    McpServer.Builder next = current.toBuilder().lastSynced(attempt);
    if (outcome.succeeded()) {
      Map<String, String> accepted = ToolFingerprint.afterSync(current, outcome.result().tools());
      return next.tools(outcome.result().tools()).prompts(outcome.result().prompts())
          .acceptedToolHashes(accepted)
          .heldToolsAccepted(ToolFingerprint.heldToolsAccepted(current, outcome.result().tools(), accepted))
          .status(ServerStatus.READY).error(null).errorDetails(null).lastSuccessfulSync(attempt).build();
    }
    SyncFailures.Report report = SyncFailures.of(outcome.cause());
    LOG.log(System.Logger.Level.INFO, "sync of " + current.accountId() + "/" + current.id() + " failed: "
        + report.details().cause());
    return next.status(ServerStatus.ERROR).error(report.error()).errorDetails(report.details()).build();
  }

  private static List<String> warnings(McpServer server) {
    List<String> warnings = new ArrayList<>();
    if (server.status() != ServerStatus.READY) return warnings;
    HeldBack held = HeldBack.of(server);
    if (!held.shadowedTools().isEmpty() || !held.shadowedPrompts().isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "sync of " + server.accountId() + "/" + server.id() + ": upstream names "
          + held.shadowedTools() + held.shadowedPrompts() + " equal aliases of other items; held back from agents until the aliases change");
    }
    warnings.addAll(held.messages());
    ExposedView.unmatched(server.tools(), server.updatedTools()).forEach(name ->
        warnings.add("updated_tools names '" + name + "', which the MCP server no longer has; the override is kept but applies to nothing"));
    ExposedView.unmatched(server.prompts(), server.updatedPrompts()).forEach(name ->
        warnings.add("updated_prompts names '" + name + "', which the MCP server no longer has; the override is kept but applies to nothing"));
    return warnings;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
