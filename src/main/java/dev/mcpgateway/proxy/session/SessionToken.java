package dev.mcpgateway.proxy.session;

import dev.mcpgateway.mcp.McpSession;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Everything a replica needs to serve a request of an agent's session, carried in the session id
 * itself (see {@link SessionCodec} for the wire format), so replicas share no session table.
 *
 * @param accountId and {@code serverId}: the endpoint the session belongs to
 * @param hostname the upstream URL the session was opened on (a server moved since has no such session)
 * @param upstreamSessionId the upstream's {@code Mcp-Session-Id}, or null if it issued none
 * @param protocolVersion the version agent and upstream agreed on
 * @param client the name of the client token that opened the session: only it may use the session
 * @param transport how the upstream is spoken to
 * @param issuedAt when the session was opened (sessions older than the configured maximum are refused)
 * @param agentCapabilities and {@code agentInfo}: what the agent declared in {@code initialize}, kept
 *     for a stateless upstream (each request there carries them); null for other transports
 */
public record SessionToken(String accountId, String serverId, String hostname, String upstreamSessionId, String protocolVersion,
    String client, McpSession.Transport transport, Instant issuedAt, JsonObject agentCapabilities, JsonObject agentInfo) {

  public SessionToken(String accountId, String serverId, String hostname, String upstreamSessionId, String protocolVersion,
      String client, McpSession.Transport transport, Instant issuedAt) {
    this(accountId, serverId, hostname, upstreamSessionId, protocolVersion, client, transport, issuedAt, null, null);
  }
}
