package dev.mcpgateway.mcp;

/**
 * Why a conversation with an upstream MCP server failed, in the closed set of kinds that matter to
 * an operator and to retry logic. Messages are short, human, and never carry a credential.
 */
public sealed abstract class McpClientException extends RuntimeException {

  McpClientException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /** The server could not be reached: refused, DNS, TLS, reset, or no answer in time. */
  public static final class Unreachable extends McpClientException {
    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The gateway has no usable upstream OAuth token (not connected yet, stale, or its authorization
   * server refused or could not be reached); the message says what an admin should do.
   */
  public static final class NotAuthorized extends McpClientException {
    private final boolean retryable;
    private final String authorizationUrl;

    public NotAuthorized(String message, boolean retryable, String authorizationUrl) {
      super(message, null);
      this.retryable = retryable;
      this.authorizationUrl = authorizationUrl;
    }

    /** Where a user must authorize the gateway (on-behalf servers), or null. */
    public String authorizationUrl() {
      return authorizationUrl;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  /** The gateway's outbound policy refuses the address the upstream host resolves to. */
  public static final class Forbidden extends McpClientException {
    public Forbidden(String message) {
      super(message, null);
    }
  }

  /** The server answered with an HTTP error status. */
  public static final class HttpStatus extends McpClientException {
    private final int status;
    private final Integer rpcCode;

    public HttpStatus(int status, String message) {
      this(status, message, null);
    }

    public HttpStatus(int status, String message, Integer rpcCode) {
      super(message, null);
      this.status = status;
      this.rpcCode = rpcCode;
    }

    public int status() {
      return status;
    }

    /** The JSON-RPC error code of the response body, when it held one. */
    public Integer rpcCode() {
      return rpcCode;
    }
  }

  /** The server answered with a JSON-RPC error object. */
  public static final class RpcError extends McpClientException {
    private final int code;

    public RpcError(int code, String message) {
      super(message, null);
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  /** The server broke the protocol: malformed JSON or SSE, wrong id, unsupported version, too large. */
  public static final class ProtocolViolation extends McpClientException {
    public ProtocolViolation(String message) {
      super(message, null);
    }
  }
}
