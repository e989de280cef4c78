package dev.mcpgateway.proxy;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.NodePeer;
import dev.mcpgateway.support.TestGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official Java SDK client (io.modelcontextprotocol.sdk:mcp) round trip through the gateway. */
class JavaSdkClientTest {
  @TempDir Path dataDir;
  Vertx vertx;
  TestGateway gw;
  NodePeer everything;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    gw = result(TestGateway.start(vertx, dataDir, null));
    everything = NodePeer.everything("streamableHttp");
    result(gw.client.post(TestGateway.servers("acme")).putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("id", "everything").put("name", "Everything").put("hostname", everything.url("/mcp"))
            .put("auth_type", "unauthenticated").mergeIn(ProxyEndToEndTest.OVERRIDES)));
    result(gw.client.post(TestGateway.servers("acme") + "/everything/sync").putHeader("Authorization", "Bearer " + TestGateway.ADMIN).send());
  }

  @AfterEach
  void stop() {
    everything.close();
    result(gw.stop());
    result(vertx.close());
  }

  @Test
  void theJavaSdkClientSeesTheOverriddenViewAndCallsThroughAliases() {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + gw.gateway.port())
        .endpoint(TestGateway.mcp("acme", "everything"))
        .customizeRequest(request -> request.header("Authorization", "Bearer " + TestGateway.AGENT))
        .build();
    try (McpSyncClient client = io.modelcontextprotocol.client.McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build()) {
      McpSchema.InitializeResult init = client.initialize();
      assertTrue(init.capabilities().tools() != null);

      List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertTrue(tools.contains("say"), tools.toString());
      assertFalse(tools.contains("echo") || tools.contains("get-sum"), tools.toString());

      McpSchema.CallToolResult said = client.callTool(new McpSchema.CallToolRequest("say", Map.of("message", "from java")));
      assertFalse(Boolean.TRUE.equals(said.isError()));
      assertTrue(said.content().toString().contains("from java"), said.content().toString());

      assertThrows(RuntimeException.class, () -> client.callTool(new McpSchema.CallToolRequest("get-sum", Map.of("a", 1, "b", 2))),
          "a disabled tool is refused");

      List<String> prompts = client.listPrompts().prompts().stream().map(McpSchema.Prompt::name).toList();
      assertTrue(prompts.contains("greeting"), prompts.toString());
      McpSchema.GetPromptResult prompt = client.getPrompt(new McpSchema.GetPromptRequest("greeting", Map.of()));
      assertFalse(prompt.messages().isEmpty());

      McpSchema.ReadResourceResult resource = client.readResource(
          new McpSchema.ReadResourceRequest("demo://resource/static/document/architecture.md"));
      assertEquals(1, resource.contents().size());
    }
  }

  @Test
  void theJavaSdkClientWorksThroughAPortal() {
    java.time.Instant now = java.time.Instant.now();
    result(gw.gateway.stores().portals().create(new dev.mcpgateway.model.Portal("acme", "team", "Team", "team.portal.test", null,
        dev.mcpgateway.model.CodeMode.OPT_IN, false, List.of(new dev.mcpgateway.model.PortalServer("everything", false, true,
            List.of(new dev.mcpgateway.model.CapabilityOverride("echo", "speak", null, null)), List.of())), now, "test", now, "test")));
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + gw.gateway.port())
        .endpoint("/mcp/acme/portals/team")
        .customizeRequest(request -> request.header("Authorization", "Bearer " + TestGateway.AGENT))
        .build();
    try (McpSyncClient client = io.modelcontextprotocol.client.McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build()) {
      assertEquals("Team", client.initialize().serverInfo().name());
      List<String> tools = client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
      assertTrue(tools.contains("everything_speak") && tools.contains("portal_list_servers"), tools.toString());
      assertFalse(tools.contains("everything_say") || tools.contains("everything_get-sum"), "disabled on the server: " + tools);
      McpSchema.CallToolResult spoken = client.callTool(new McpSchema.CallToolRequest("everything_speak", Map.of("message", "via portal")));
      assertTrue(spoken.content().toString().contains("via portal"), spoken.content().toString());
      McpSchema.GetPromptResult prompt = client.getPrompt(new McpSchema.GetPromptRequest("everything_greeting", Map.of()));
      assertFalse(prompt.messages().isEmpty());
      McpSchema.ReadResourceResult resource = client.readResource(
          new McpSchema.ReadResourceRequest("demo://resource/static/document/architecture.md"));
      assertEquals(1, resource.contents().size());
    }
  }
}
