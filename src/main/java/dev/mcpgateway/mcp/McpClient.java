package dev.mcpgateway.mcp;

import dev.mcpgateway.tracing.Tracing;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.upstream.OutboundGuard;
import dev.mcpgateway.upstream.UpstreamAuth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The gateway's MCP client: connects to an upstream endpoint, finds the era and transport it
 * speaks (see {@link #connect}), and answers an initialized {@link McpSession}: stateless
 * (2026-07-28), Streamable HTTP with a session, or, for servers that refuse the POST, the legacy
 * HTTP+SSE transport (a POST of {@code initialize} answered 400, 404 or 405 means "try GET"). The
 * transport each endpoint speaks is remembered. One pooled HTTP client serves every upstream;
 * nothing blocks.
 */
public final class McpClient {
  private static final Set<Integer> LEGACY_HINTS = Set.of(400, 404, 405);

  private final Vertx vertx;
  private final HttpClient http;
  /** Long-lived event streams (agent GET relays, legacy sessions) get their own pool, so they can never starve requests. */
  private final HttpClient streams;
  private final McpClientOptions limits;
  private final Cache<String, McpSession.Transport> transports = Caffeine.newBuilder().maximumSize(100_000).build();
  /**
   * Whether a stateless-era endpoint also takes session-era {@code initialize}: true once one did
   * (or its {@code server/discover} listed a 2025 version), false once one was refused with a
   * modern error; unknown until then (the SDKs' dual-era servers list only their modern version).
   */
  private final Cache<String, Boolean> sessionEra = Caffeine.newBuilder().maximumSize(100_000).build();

  private final UpstreamBreakers breakers;
  private final GuardedHttp guardedHttp;
  private final GuardedHttp guardedStreams;
  private final StreamableHttpChannel channel;

  public McpClient(Vertx vertx, McpClientOptions limits, OutboundGuard guard) {
    this.vertx = vertx;
    this.limits = limits;
    this.http = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, limits.connectTimeoutMs()))
            .setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(limits.maxConnectionsPerUpstream()))
        .build();
    this.streams = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, limits.connectTimeoutMs()))
            .setKeepAlive(false))
        .with(new PoolOptions().setHttp1MaxSize(MAX_STREAMS_PER_UPSTREAM))
        .build();
    UpstreamBreakers breakers = new UpstreamBreakers(vertx, limits.breakerFailures(), limits.breakerReset());
    this.breakers = breakers;
    this.guardedHttp = new GuardedHttp(http, guard, breakers, Tracing.of(vertx));
    this.guardedStreams = new GuardedHttp(streams, guard, breakers, Tracing.of(vertx));
    this.channel = new StreamableHttpChannel(vertx, guardedHttp, guardedStreams, limits);
  }

  /** Open event streams per upstream host: each holds a connection for as long as it lives. */
  static final int MAX_STREAMS_PER_UPSTREAM = 10_000;

  /** Upstreams (host and port) the gateway is not calling for a while: their circuit is open, or half open for a probe. */
  public long openCircuits() {
    return breakers.notClosed();
  }

  public McpClientOptions limits() {
    return limits;
  }

  /** Raw exchanges over the same pooled client, for the proxy. */
  public StreamableHttpChannel channel() {
    return channel;
  }

  /** Remembers that an endpoint answered the legacy transport (the proxy discovers it too). */
  public void rememberLegacy(String endpoint) {
    transports.put(endpoint, McpSession.Transport.LEGACY_SSE);
  }

  /**
   * Opens a legacy HTTP+SSE session and initializes it with the agent's own {@code initialize}
   * params (its capabilities and identity travel upstream); does not send
   * {@code notifications/initialized}: the agent does.
   */
  public Future<McpSession> openLegacy(String endpoint, UpstreamAuth auth, JsonObject initializeParams,
      java.util.function.Consumer<JsonObject> serverMessages) {
    LegacySseSession session = new LegacySseSession(vertx, guardedHttp, guardedStreams, endpoint, auth, limits);
    session.serverMessages(serverMessages);
    return session.open()
        .compose(s -> s.request(McpProtocol.Methods.INITIALIZE, initializeParams))
        .compose(result -> negotiated(result).map(version -> {
          session.initialized(version, result);
          return (McpSession) session;
        }))
        .onSuccess(s -> transports.put(endpoint, McpSession.Transport.LEGACY_SSE))
        .onFailure(e -> session.close());
  }

  /**
   * Finds the era the endpoint speaks again, whatever was remembered (after a failure that
   * suggests it changed, such as a stateless upstream rolled back to sessions); the probe's
   * session is ended at once.
   */
  public Future<McpSession.Transport> redetect(String endpoint, UpstreamAuth auth) {
    transports.invalidate(endpoint);
    return connect(endpoint, auth).map(session -> {
      session.close();
      return session.transport();
    });
  }

  /**
   * Whether a stateless-era endpoint is known to refuse sessions: only then is a session-era agent
   * bridged; otherwise its {@code initialize} goes upstream as it is, and the answer tells
   * ({@link #sessionEraSeen}).
   */
  public boolean refusesSessionEra(String endpoint) {
    return Boolean.FALSE.equals(sessionEra.getIfPresent(endpoint));
  }

  /** What a session-era {@code initialize} found at a stateless-era endpoint: a session ({@code true}) or a modern refusal. */
  public void sessionEraSeen(String endpoint, boolean accepted) {
    sessionEra.put(endpoint, accepted);
  }

  /** The transport last seen working for this endpoint, if any. */
  public McpSession.Transport rememberedTransport(String endpoint) {
    return transports.getIfPresent(endpoint);
  }

  /**
   * An initialized conversation with the upstream, in the era it speaks. Unknown upstreams are
   * probed as the 2026-07-28 specification has dual-era clients do it: a modern
   * {@code server/discover} first; an answer, or a modern error, means "modern"; any other 4xx or
   * JSON-RPC error means a session-era server, spoken to with {@code initialize} (and, if it
   * refuses the POST, the legacy HTTP+SSE transport). The era found is remembered per endpoint and
   * probed again when a remembered one stops working that way.
   */
  public Future<McpSession> connect(String endpoint, UpstreamAuth auth) {
    return connect(endpoint, auth, new JsonObject());
  }

  /**
   * The same, declaring {@code clientCapabilities} in a Streamable HTTP {@code initialize} (the
   * stateless era has each request declare its own; the legacy HTTP+SSE sessions this client
   * opens answer no upstream request, so they declare none): the proxy's sessions for agents that
   * can answer the upstream's elicitation or sampling requests.
   */
  public Future<McpSession> connect(String endpoint, UpstreamAuth auth, JsonObject clientCapabilities) {
    McpSession.Transport known = rememberedTransport(endpoint);
    if (known == null) return detect(endpoint, auth, clientCapabilities);
    Future<McpSession> session = switch (known) {
      case STATELESS -> stateless(endpoint, auth);
      case LEGACY_SSE -> legacy(endpoint, auth);
      case STREAMABLE_HTTP -> sessionEra(endpoint, auth, clientCapabilities);
    };
    return session.recover(e -> {
      if (!(e instanceof McpClientException.HttpStatus status) || !LEGACY_HINTS.contains(status.status())) return Future.failedFuture(e);
      transports.invalidate(endpoint); // the server changed eras (an upgrade, a rollback): find out again, once
      return detect(endpoint, auth, clientCapabilities);
    });
  }

  private Future<McpSession> detect(String endpoint, UpstreamAuth auth, JsonObject clientCapabilities) {
    return stateless(endpoint, auth).recover(e -> speaksSessionEra(e) ? sessionEra(endpoint, auth, clientCapabilities) : Future.failedFuture(e));
  }

  /**
   * Whether a failed modern probe means "a session-era server": a 4xx (other than an
   * authentication or rate refusal) or a JSON-RPC error that no modern server would give, or a
   * modern server that does not support this version (its {@code initialize} may still work).
   */
  private static boolean speaksSessionEra(Throwable e) {
    if (e instanceof McpClientException.HttpStatus status) {
      int code = status.status();
      if (code < 400 || code >= 500 || code == 401 || code == 403 || code == 407 || code == 429) return false;
      return status.rpcCode() == null || !McpProtocol.Stateless.ERRORS.contains(status.rpcCode())
          || status.rpcCode() == McpProtocol.Stateless.UNSUPPORTED_VERSION;
    }
    if (e instanceof McpClientException.RpcError rpc) {
      return !McpProtocol.Stateless.ERRORS.contains(rpc.code()) || rpc.code() == McpProtocol.Stateless.UNSUPPORTED_VERSION;
    }
    return e instanceof McpClientException.ProtocolViolation;
  }

  /** Streamable HTTP with a session, falling back to the legacy transport when the POST is refused. */
  private Future<McpSession> sessionEra(String endpoint, UpstreamAuth auth, JsonObject clientCapabilities) {
    return streamable(endpoint, auth, clientCapabilities).recover(e -> {
      if (!(e instanceof McpClientException.HttpStatus status) || !LEGACY_HINTS.contains(status.status())) {
        return Future.failedFuture(e);
      }
      // A legacy server refuses the POST; if GET fails too, the first answer is the better report.
      return legacy(endpoint, auth).recover(legacyFailure ->
          Future.failedFuture(legacyFailure instanceof McpClientException.HttpStatus ? e : legacyFailure));
    });
  }

  /** The stateless era: {@code server/discover} stands in for {@code initialize}. */
  private Future<McpSession> stateless(String endpoint, UpstreamAuth auth) {
    StreamableHttpSession session = new StreamableHttpSession(vertx, guardedHttp, endpoint, auth, limits, true);
    return session.request(McpProtocol.Stateless.DISCOVER, null)
        .compose(discovered -> {
          if (!(discovered.getValue("supportedVersions") instanceof io.vertx.core.json.JsonArray versions)
              || !versions.contains(McpProtocol.Stateless.VERSION)) {
            return Future.failedFuture(new McpClientException.ProtocolViolation(
                "upstream's server/discover result does not list " + McpProtocol.Stateless.VERSION));
          }
          session.initialized(McpProtocol.Stateless.VERSION, initializeResultOf(discovered));
          if (versions.stream().anyMatch(McpProtocol.SUPPORTED_VERSIONS::contains)) sessionEra.put(endpoint, Boolean.TRUE);
          return Future.succeededFuture((McpSession) session);
        })
        .onSuccess(s -> transports.put(endpoint, McpSession.Transport.STATELESS));
  }

  /** A {@code server/discover} result in the shape of an {@code initialize} result, which the rest of the gateway reads. */
  static JsonObject initializeResultOf(JsonObject discovered) {
    JsonObject meta = discovered.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
    JsonObject serverInfo = meta.getValue(McpProtocol.Stateless.META_SERVER_INFO) instanceof JsonObject info
        ? info.copy() : new JsonObject().put("name", "unknown").put("version", "");
    JsonObject result = new JsonObject()
        .put("protocolVersion", McpProtocol.Stateless.VERSION)
        .put("capabilities", discovered.getValue("capabilities") instanceof JsonObject c ? c.copy() : new JsonObject())
        .put("serverInfo", serverInfo);
    if (discovered.getValue("instructions") instanceof String instructions) result.put("instructions", instructions);
    return result;
  }

  private Future<McpSession> streamable(String endpoint, UpstreamAuth auth, JsonObject clientCapabilities) {
    StreamableHttpSession session = new StreamableHttpSession(vertx, guardedHttp, endpoint, auth, limits, false);
    return session.request(McpProtocol.Methods.INITIALIZE, initializeParams(clientCapabilities))
        .compose(result -> negotiated(result).map(version -> {
          session.initialized(version, result);
          return session;
        }))
        .compose(s -> s.notify(McpProtocol.Methods.INITIALIZED, null).map((McpSession) s))
        .onSuccess(s -> transports.put(endpoint, McpSession.Transport.STREAMABLE_HTTP))
        .onFailure(e -> session.close());
  }

  /** Legacy HTTP+SSE; declares no capabilities: this client's legacy sessions answer no upstream request. */
  private Future<McpSession> legacy(String endpoint, UpstreamAuth auth) {
    LegacySseSession session = new LegacySseSession(vertx, guardedHttp, guardedStreams, endpoint, auth, limits);
    return session.open()
        .compose(s -> s.request(McpProtocol.Methods.INITIALIZE, initializeParams(new JsonObject())))
        .compose(result -> negotiated(result).map(version -> {
          session.initialized(version, result);
          return session;
        }))
        .compose(s -> s.notify(McpProtocol.Methods.INITIALIZED, null).map((McpSession) s))
        .onSuccess(s -> transports.put(endpoint, McpSession.Transport.LEGACY_SSE))
        .onFailure(e -> session.close());
  }

  private JsonObject initializeParams(JsonObject clientCapabilities) {
    return new JsonObject()
        .put("protocolVersion", McpProtocol.LATEST_VERSION)
        .put("capabilities", clientCapabilities.copy())
        .put("clientInfo", new JsonObject().put("name", limits.clientName()).put("version", limits.clientVersion()));
  }

  /** The server picks the version; one this gateway does not speak ends the handshake. */
  public static Future<String> negotiated(JsonObject result) {
    Object version = result.getValue("protocolVersion");
    if (!(version instanceof String text)) {
      return Future.failedFuture(new McpClientException.ProtocolViolation("upstream's initialize result has no protocolVersion"));
    }
    if (!McpProtocol.SUPPORTED_VERSIONS.contains(text)) {
      return Future.failedFuture(new McpClientException.ProtocolViolation(
          "upstream speaks MCP " + StreamableHttpSession.truncate(text) + ", which this gateway does not support (supported: "
              + String.join(", ", McpProtocol.SUPPORTED_VERSIONS) + ")"));
    }
    return Future.succeededFuture(text);
  }

  public Future<Void> close() {
    return http.close().eventually(streams::close);
  }
}
