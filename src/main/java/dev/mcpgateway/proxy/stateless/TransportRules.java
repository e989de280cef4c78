package dev.mcpgateway.proxy.stateless;

import static dev.mcpgateway.mcp.McpProtocol.Stateless.HEADER_MISMATCH;
import static dev.mcpgateway.mcp.McpProtocol.Stateless.META_CAPABILITIES;
import static dev.mcpgateway.mcp.McpProtocol.Stateless.META_VERSION;
import static dev.mcpgateway.mcp.McpProtocol.Stateless.METHOD_HEADER;
import static dev.mcpgateway.mcp.McpProtocol.Stateless.NAMED;
import static dev.mcpgateway.mcp.McpProtocol.Stateless.NAME_HEADER;
import static dev.mcpgateway.mcp.McpProtocol.Stateless.UNSUPPORTED_VERSION;
import static dev.mcpgateway.mcp.McpProtocol.Stateless.VERSIONS;

import dev.mcpgateway.mcp.McpProtocol;
import dev.mcpgateway.mcp.StatelessEnvelope;
import dev.mcpgateway.proxy.http.AgentText;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The header rules of the 2026-07-28 transport, as pure functions of a request's headers and
 * body: which era a message speaks, and whether a stateless-era request may proceed. A server
 * that reads the body must refuse a request without the required {@code _meta} fields (its
 * protocol version, its client capabilities: 400 {@code -32602}), check the mirrored headers
 * against the body (400 {@code -32020} on a mismatch or a missing header), and refuse versions it
 * does not speak ({@code -32022} with the supported ones, newest first, both eras).
 */
public final class TransportRules {
  private TransportRules() {}

  /** Why a request may not proceed: the HTTP status and the JSON-RPC error to answer. */
  public record Refusal(int status, int code, String message, JsonObject data) {}

  /** Whether {@code message} (or its headers) speaks the stateless era. */
  public static boolean isStateless(MultiMap headers, JsonObject message) {
    String header = headers.get(McpProtocol.Headers.PROTOCOL_VERSION);
    if (header != null && header.compareTo(McpProtocol.LATEST_VERSION) > 0) return true;
    // on every POST of either era: read in place, nothing allocated
    return message.getValue("params") instanceof JsonObject params && params.getValue("_meta") instanceof JsonObject meta
        && meta.containsKey(META_VERSION);
  }

  /** Empty when the request may proceed. */
  public static Optional<Refusal> validate(MultiMap headers, JsonObject message) {
    JsonObject params = message.getValue("params") instanceof JsonObject p ? p : new JsonObject();
    JsonObject meta = params.getValue("_meta") instanceof JsonObject m ? m : new JsonObject();
    String header = headers.get(McpProtocol.Headers.PROTOCOL_VERSION);
    Object bodyVersion = meta.getValue(META_VERSION);
    // a required _meta field missing is a malformed request (-32602); headers that disagree with the body are -32020
    if (!(bodyVersion instanceof String)) {
      return refuse(McpProtocol.ErrorCodes.INVALID_PARAMS, "_meta must carry io.modelcontextprotocol/protocolVersion", null);
    }
    if (header == null || !header.equals(bodyVersion)) {
      return refuse(HEADER_MISMATCH, "MCP-Protocol-Version must be present and equal _meta's protocolVersion", null);
    }
    if (!VERSIONS.contains(header)) {
      return refuse(UNSUPPORTED_VERSION, "unsupported protocol version", new JsonObject()
          .put("supported", new JsonArray(new ArrayList<>(VERSIONS)).addAll(new JsonArray(McpProtocol.SUPPORTED_VERSIONS)))
          .put("requested", AgentText.clip(header)));
    }
    String method = message.getValue("method") instanceof String m ? m : null;
    if (method != null && !method.equals(headers.get(METHOD_HEADER))) {
      return refuse(HEADER_MISMATCH, "the Mcp-Method header must equal the body's method", null);
    }
    if (method != null && NAMED.contains(method)) {
      Object name = params.getValue(method.equals(McpProtocol.Methods.RESOURCES_READ) ? "uri" : "name");
      String decoded = StatelessEnvelope.decode(headers.get(NAME_HEADER));
      if (!(name instanceof String) || !name.equals(decoded)) {
        return refuse(HEADER_MISMATCH, "the Mcp-Name header must equal the body's name", null);
      }
    }
    if (message.containsKey("id") && !(meta.getValue(META_CAPABILITIES) instanceof JsonObject)) {
      return refuse(McpProtocol.ErrorCodes.INVALID_PARAMS, "_meta must carry io.modelcontextprotocol/clientCapabilities", null);
    }
    return Optional.empty();
  }

  private static Optional<Refusal> refuse(int code, String message, JsonObject data) {
    return Optional.of(new Refusal(400, code, message, data));
  }
}
