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
    return new Report(headline(failure), McpClientException.detailsOf(failure));
  }

  private static String headline(Throwable failure) {
    if (failure instanceof McpClientException.Unreachable) return "Could not reach the MCP server";
    if (failure instanceof McpClientException.Forbidden) return "The gateway refuses to connect to this MCP server";
    if (failure instanceof McpClientException.HttpStatus e) return "The MCP server answered HTTP " + e.status();
    if (failure instanceof McpClientException.RpcError) return "The MCP server answered with a JSON-RPC error";
    if (failure instanceof McpClientException.ProtocolViolation) return "The MCP server broke the MCP protocol";
    if (failure instanceof dev.mcpgateway.upstream.oauth.OAuthException || failure instanceof McpClientException.NotAuthorized) {
      return "The gateway has no usable OAuth connection to this MCP server";
    }
    // our own failure (e.g. credentials sealed under another key): the message is ours, never a secret
    return "The gateway could not sync this server";
  }
}
