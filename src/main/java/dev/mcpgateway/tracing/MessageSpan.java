package dev.mcpgateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.vertx.core.json.JsonObject;

/**
 * The span of one agent message, after OpenTelemetry's semantic conventions for MCP (server side):
 * named {@code {mcp.method.name} {target}}, kind SERVER, its parent the trace context the agent put
 * in {@code params._meta} ({@code traceparent}/{@code tracestate}, as the 2026-07-28 specification
 * reserves them) or else the HTTP request's span (from the {@code traceparent} header).
 *
 * <p>It is made current on the request's Vert.x context until the message ends, so what the gateway
 * does for it — upstream HTTP exchanges, store queries — are its children; and the message goes
 * upstream with this span's context in its own {@code _meta}, replacing the agent's, so the
 * upstream's spans join the same trace under the gateway's. Attributes carry names, ids, codes and
 * outcomes — never an argument, a result, a credential or a session id (a bearer credential).
 */
public final class MessageSpan {
  public static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("jsonrpc.request.id");
  public static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("mcp.protocol.version");
  public static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  public static final AttributeKey<String> PROMPT = AttributeKey.stringKey("gen_ai.prompt.name");
  public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> STATUS_CODE = AttributeKey.stringKey("rpc.response.status_code");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<String> ACCOUNT = AttributeKey.stringKey("mcp_gateway.account.id");
  public static final AttributeKey<String> SERVER = AttributeKey.stringKey("mcp_gateway.server.id");
  public static final AttributeKey<String> PORTAL = AttributeKey.stringKey("mcp_gateway.portal.id");
  public static final AttributeKey<String> UPSTREAM_NAME = AttributeKey.stringKey("mcp_gateway.upstream.name");
  public static final AttributeKey<String> ERA = AttributeKey.stringKey("mcp_gateway.era");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("mcp_gateway.outcome");
  public static final AttributeKey<String> AGENT_KIND = AttributeKey.stringKey("mcp_gateway.agent.kind");

  private static final TextMapGetter<JsonObject> META = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(JsonObject meta) {
      return meta.fieldNames();
    }

    @Override
    public String get(JsonObject meta, String key) {
      return meta == null || !(meta.getValue(key) instanceof String value) ? null : value;
    }
  };

  private final Span span;
  private final Scope scope;
  private final String method;

  private MessageSpan(Span span, Scope scope, String method) {
    this.span = span;
    this.scope = scope;
    this.method = method;
  }

  /**
   * Starts the span of {@code message} (a request, notification or response the agent sent) and
   * puts its context in the message's {@code _meta}; null when tracing is off.
   */
  public static MessageSpan start(Tracing tracing, JsonObject message, boolean statelessEra, String protocolVersion) {
    if (!tracing.enabled()) return null;
    String method = message.getValue("method") instanceof String name ? name : "response";
    JsonObject params = message.getValue("params") instanceof JsonObject object ? object : null;
    JsonObject meta = params != null && params.getValue("_meta") instanceof JsonObject object ? object : null;
    Context parent = meta == null ? Context.current() : tracing.propagator().extract(Context.current(), meta, META);
    var builder = tracing.tracer().spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER)
        .setAttribute(METHOD, method)
        .setAttribute(ERA, statelessEra ? "2026-07-28" : "session")
        .setAttribute("jsonrpc.protocol.version", "2.0")
        .setAttribute("network.transport", "tcp")
        .setAttribute("network.protocol.name", "http");
    Object id = message.getValue("id");
    if (id != null) builder.setAttribute(REQUEST_ID, String.valueOf(id));
    if (protocolVersion != null) builder.setAttribute(PROTOCOL_VERSION, protocolVersion);
    Span span = builder.startSpan();
    Context current = parent.with(span);
    Scope scope = current.makeCurrent();
    if (message.getValue("method") instanceof String) {
      JsonObject outgoing = params != null ? params : new JsonObject();
      if (params == null) message.put("params", outgoing);
      JsonObject outgoingMeta = meta != null ? meta : new JsonObject();
      if (meta == null) outgoing.put("_meta", outgoingMeta);
      outgoingMeta.remove("traceparent");
      outgoingMeta.remove("tracestate");
      tracing.propagator().inject(current, outgoingMeta, (carrier, key, value) -> {
        if (key.equals("traceparent") || key.equals("tracestate")) carrier.put(key, value);
      });
    }
    return new MessageSpan(span, scope, method);
  }

  /** The W3C trace and span ids, for log lines (so a line and its trace join). */
  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  public String spanId() {
    return span.getSpanContext().getSpanId();
  }

  /** What the message turned out to be, once the gateway knows it. */
  public record Outcome(String account, String server, String portal, String kind, String exposedName, String upstreamName,
      String outcome, Integer errorCode, String agentKind) {}

  /** Ends the span with what the message did, and stops being current. */
  public void end(Outcome outcome) {
    try {
      String target = outcome.kind() != null ? outcome.exposedName() : null;
      if (target != null) span.updateName(method + " " + target);
      if ("tool".equals(outcome.kind())) {
        span.setAttribute(TOOL, outcome.exposedName());
        span.setAttribute(OPERATION, "execute_tool");
      } else if ("prompt".equals(outcome.kind())) {
        span.setAttribute(PROMPT, outcome.exposedName());
      }
      if (outcome.upstreamName() != null) span.setAttribute(UPSTREAM_NAME, outcome.upstreamName());
      span.setAttribute(ACCOUNT, outcome.account());
      span.setAttribute(SERVER, outcome.server());
      if (outcome.portal() != null) span.setAttribute(PORTAL, outcome.portal());
      if (outcome.agentKind() != null) span.setAttribute(AGENT_KIND, outcome.agentKind());
      span.setAttribute(OUTCOME, outcome.outcome());
      if (outcome.errorCode() != null) span.setAttribute(STATUS_CODE, String.valueOf(outcome.errorCode()));
      if (!"ok".equals(outcome.outcome())) {
        span.setAttribute(ERROR_TYPE, outcome.errorCode() != null ? String.valueOf(outcome.errorCode()) : outcome.outcome());
        span.setStatus(StatusCode.ERROR, outcome.outcome());
      }
      span.end();
    } finally {
      scope.close();
    }
  }
}
