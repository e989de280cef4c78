package dev.mcpgateway.mcp;

import java.util.List;

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
  }

  /** Legacy HTTP+SSE (2024-11-05): the first event of the GET stream names the POST endpoint. */
  public static final String ENDPOINT_EVENT = "endpoint";
}
