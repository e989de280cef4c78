package dev.mcpgateway.mcp;

import dev.mcpgateway.model.ErrorDetails;
import dev.mcpgateway.upstream.oauth.OAuthException;

/**
 * Why a conversation with an upstream MCP server failed, in the closed set of kinds that matter to
 * an operator and to retry logic. Messages are short, human, and never carry a credential.
 */
public sealed abstract class McpClientException extends RuntimeException {

  McpClientException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /** Cloudflare's {@code error_details} for this failure: the one mapping the sync and the proxy both report. */
  public abstract ErrorDetails details();

  /** The details of any failure on an upstream path: the gateway's own are named by kind, never by message. */
  public static ErrorDetails detailsOf(Throwable failure) {
    if (failure instanceof McpClientException known) return known.details();
    if (failure instanceof OAuthException e) return new ErrorDetails(e.getMessage(), false, null, e.retryable(), null);
    return new ErrorDetails("gateway error: " + failure.getClass().getSimpleName(), false, null, false, null);
  }

  /** The server could not be reached: refused, DNS, TLS, reset, or no answer in time. */
  public static sealed class Unreachable extends McpClientException permits Timeout {
    public Unreachable(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public ErrorDetails details() {
      return new ErrorDetails(getMessage(), false, null, true, null);
    }
  }

  /** Reachable, but no answer (or no next part of one) in time; the message says what was awaited and for how long. */
  public static final class Timeout extends Unreachable {
    public Timeout(String message) {
      super(message, null);
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

    @Override
    public ErrorDetails details() {
      return new ErrorDetails(getMessage(), false, null, retryable, null);
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

    @Override
    public ErrorDetails details() {
      return new ErrorDetails(getMessage(), false, null, false, null);
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

    /** 5xx, 408 and 429 are worth trying again as they are; other statuses need a change first. */
    @Override
    public ErrorDetails details() {
      return new ErrorDetails(getMessage(), true, null, status >= 500 || status == 429 || status == 408, status);
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

    @Override
    public ErrorDetails details() {
      return new ErrorDetails(getMessage(), true, code, false, null);
    }
  }

  /** The server broke the protocol: malformed JSON or SSE, wrong id, unsupported version, too large. */
  public static final class ProtocolViolation extends McpClientException {
    public ProtocolViolation(String message) {
      super(message, null);
    }

    @Override
    public ErrorDetails details() {
      return new ErrorDetails(getMessage(), true, null, false, null);
    }
  }
}
