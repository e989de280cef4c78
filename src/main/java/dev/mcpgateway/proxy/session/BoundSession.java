package dev.mcpgateway.proxy.session;

import dev.mcpgateway.mcp.StreamableHttpChannel;
import dev.mcpgateway.sync.Capabilities;
import java.util.Map;

/** An agent's request bound to its session: the opened token, the server's capabilities, the local entry. */
public record BoundSession(String sessionId, SessionToken token, Capabilities capabilities, LocalSessions.Entry entry) {

  /** The upstream exchange target of this session, with the server's credentials. */
  public StreamableHttpChannel.Target target(Map<String, String> auth) {
    return new StreamableHttpChannel.Target(token.hostname(), auth, token.upstreamSessionId(), token.protocolVersion());
  }
}
