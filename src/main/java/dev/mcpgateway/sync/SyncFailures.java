package dev.mcpgateway.sync;

import dev.mcpgateway.mcp.McpClientException;
import dev.mcpgateway.model.ErrorDetails;

/**
 * A failed sync as Cloudflare reports it. {@code is_upstream}: the MCP server answered with an
 * error (true) or could not be reached (false); {@code retryable}: worth trying again as is.
 */
final class SyncFailures {
  private SyncFailures() {}

  record Report(String error, ErrorDetails details) {}

  static Report of(Throwable failure) {
    if (failure instanceof McpClientException.Unreachable e) {
      return new Report("Could not reach the MCP server", new ErrorDetails(e.getMessage(), false, null, true, null));
    }
    if (failure instanceof McpClientException.Forbidden e) {
      return new Report("The gateway refuses to connect to this MCP server", new ErrorDetails(e.getMessage(), false, null, false, null));
    }
    if (failure instanceof McpClientException.HttpStatus e) {
      boolean retryable = e.status() >= 500 || e.status() == 429 || e.status() == 408;
      return new Report("The MCP server answered HTTP " + e.status(), new ErrorDetails(e.getMessage(), true, null, retryable, e.status()));
    }
    if (failure instanceof McpClientException.RpcError e) {
      return new Report("The MCP server answered with a JSON-RPC error", new ErrorDetails(e.getMessage(), true, e.code(), false, null));
    }
    if (failure instanceof McpClientException.ProtocolViolation e) {
      return new Report("The MCP server broke the MCP protocol", new ErrorDetails(e.getMessage(), true, null, false, null));
    }
    if (failure instanceof dev.mcpgateway.upstream.oauth.OAuthException e) {
      return new Report("The gateway has no usable OAuth connection to this MCP server", new ErrorDetails(e.getMessage(), false, null, e.retryable(), null));
    }
    if (failure instanceof McpClientException.NotAuthorized e) {
      return new Report("The gateway has no usable OAuth connection to this MCP server", new ErrorDetails(e.getMessage(), false, null, e.retryable(), null));
    }
    // Our own failure (e.g. credentials sealed under another key): the message is ours, never a secret.
    return new Report("The gateway could not sync this server",
        new ErrorDetails("gateway error: " + failure.getClass().getSimpleName(), false, null, false, null));
  }
}
