package dev.mcpgateway.mcp;

import java.util.List;
import java.util.Set;

/** MCP's names in one place: methods, HTTP headers, protocol versions and JSON-RPC error codes. */
public final class McpProtocol {
  private McpProtocol() {}

  /** Newest first: the first is what the gateway offers in {@code initialize}. */
  public static final List<String> SUPPORTED_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");
  public static final String LATEST_VERSION = SUPPORTED_VERSIONS.get(0);
  public static final String JSONRPC_VERSION = "2.0";

  public static final class Methods {
    private Methods() {}

    public static final String INITIALIZE = "initialize";
    public static final String INITIALIZED = "notifications/initialized";
    public static final String PING = "ping";
    public static final String TOOLS_LIST = "tools/list";
    public static final String TOOLS_CALL = "tools/call";
    public static final String PROMPTS_LIST = "prompts/list";
    public static final String PROMPTS_GET = "prompts/get";
    public static final String RESOURCES_LIST = "resources/list";
    public static final String RESOURCE_TEMPLATES_LIST = "resources/templates/list";
    public static final String RESOURCES_READ = "resources/read";
    public static final String COMPLETE = "completion/complete";
    public static final String LOGGING_SET_LEVEL = "logging/setLevel";
  }

  public static final class Notifications {
    private Notifications() {}

    public static final String CANCELLED = "notifications/cancelled";
    public static final String PROGRESS = "notifications/progress";
    public static final String MESSAGE = "notifications/message";
    public static final String TOOLS_LIST_CHANGED = "notifications/tools/list_changed";
    public static final String PROMPTS_LIST_CHANGED = "notifications/prompts/list_changed";
    public static final String SUBSCRIPTIONS_ACKNOWLEDGED = "notifications/subscriptions/acknowledged";
  }

  public static final class Headers {
    private Headers() {}

    public static final String SESSION_ID = "Mcp-Session-Id";
    public static final String PROTOCOL_VERSION = "MCP-Protocol-Version";
    public static final String LAST_EVENT_ID = "Last-Event-ID";
    public static final String ACCEPT_BOTH = "application/json, text/event-stream";
    public static final String EVENT_STREAM = "text/event-stream";
    public static final String JSON = "application/json";
  }

  public static final class ErrorCodes {
    private ErrorCodes() {}

    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** {@code resources/read} of a URI no server offers (the specification's code). */
    public static final int RESOURCE_NOT_FOUND = -32002;
  }

  /**
   * The stateless era (2026-07-28 and later): no session and no {@code initialize}; every request
   * carries its version, capabilities and identity in {@code _meta}, and mirrors method and name
   * in headers that intermediaries route on.
   */
  public static final class Stateless {
    private Stateless() {}

    public static final String VERSION = "2026-07-28";
    public static final List<String> VERSIONS = List.of(VERSION);
    public static final String META_PREFIX = "io.modelcontextprotocol/";
    public static final String META_VERSION = META_PREFIX + "protocolVersion";
    public static final String META_CAPABILITIES = META_PREFIX + "clientCapabilities";
    /** The request's log level, which replaced logging/setLevel: no notifications/message without it. */
    public static final String META_LOG_LEVEL = META_PREFIX + "logLevel";
    public static final String META_CLIENT_INFO = META_PREFIX + "clientInfo";
    public static final String META_SERVER_INFO = META_PREFIX + "serverInfo";
    public static final String META_SUBSCRIPTION = META_PREFIX + "subscriptionId";
    public static final String METHOD_HEADER = "Mcp-Method";
    public static final String NAME_HEADER = "Mcp-Name";
    public static final String PARAM_HEADER_PREFIX = "Mcp-Param-";
    public static final String DISCOVER = "server/discover";
    public static final String LISTEN = "subscriptions/listen";
    public static final int HEADER_MISMATCH = -32020;
    public static final int MISSING_CAPABILITY = -32021;
    public static final int UNSUPPORTED_VERSION = -32022;
    /** Errors only a modern server answers: one of them on a probe means "modern", never "fall back". */
    public static final Set<Integer> ERRORS = Set.of(HEADER_MISMATCH, MISSING_CAPABILITY, UNSUPPORTED_VERSION);
    /** Methods whose name (or URI) travels in {@code Mcp-Name}. */
    public static final Set<String> NAMED = Set.of(Methods.TOOLS_CALL, Methods.PROMPTS_GET, Methods.RESOURCES_READ);
    /** What a server may ask the client in the middle of a request (multi round-trip requests), and the capability each needs. */
    public static final java.util.Map<String, String> INPUT_CAPABILITIES = java.util.Map.of(
        "elicitation/create", "elicitation", "sampling/createMessage", "sampling", "roots/list", "roots");
  }

  /** Legacy HTTP+SSE (2024-11-05): the first event of the GET stream names the POST endpoint. */
  public static final String ENDPOINT_EVENT = "endpoint";
}
