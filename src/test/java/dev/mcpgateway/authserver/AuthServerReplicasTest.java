package dev.mcpgateway.authserver;

import static dev.mcpgateway.support.Await.result;
import static dev.mcpgateway.support.AuthServerClient.codeGrant;
import static dev.mcpgateway.support.AuthServerClient.refreshGrant;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.support.Await;
import dev.mcpgateway.support.AuthServerClient;
import dev.mcpgateway.support.GatewayProcess;
import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of the built-in authorization server on one PostgreSQL schema (and one secret key),
 * as behind a load balancer that sends each request anywhere: a client registered on one signs in
 * through the other, a code issued by one is redeemed on the other (and a second time on the first:
 * a replay), and each replica's MCP endpoint accepts the other's tokens, reading the keys from the
 * store.
 */
class AuthServerReplicasTest {
  @RegisterExtension final PgSchema pg = new PgSchema();
  @TempDir Path dirA;
  @TempDir Path dirB;
  final Vertx vertx = Vertx.vertx();
  TestGateway a;
  TestGateway b;

  @AfterEach
  void stop() {
    if (a != null) result(a.stop());
    if (b != null) result(b.stop());
    result(vertx.close());
  }

  TestGateway replica(Path dir, String base, int port) {
    return result(TestGateway.start(vertx, TestGateway.signingIn(TestGateway.config(dir, pg.name()), base, port, AuthServerTest.signIn(base)),
        dir, pg.name()));
  }

  @Test
  void eitherReplicaAnswersAnyStepAndAcceptsTheOthersTokens() throws Exception {
    int[] ports = GatewayProcess.freePorts(2);
    // one public URL (the load balancer's); each replica listens on its own port
    String base = "http://127.0.0.1:" + ports[0];
    a = replica(dirA, base, ports[0]);
    b = replica(dirB, base, ports[1]);
    assertEquals(201, result(a.client.post("/accounts/acme/access/policies").putHeader("Authorization", "Bearer " + TestGateway.ADMIN)
        .sendJsonObject(new JsonObject().put("name", "everyone").put("decision", "allow")
            .put("include", new io.vertx.core.json.JsonArray().add(new JsonObject().put("everyone", new JsonObject())))
            .put("servers", new io.vertx.core.json.JsonArray().add("*")))).statusCode());
    AuthServerClient onA = new AuthServerClient(vertx, base);
    AuthServerClient onB = new AuthServerClient(vertx, "http://127.0.0.1:" + ports[1]);
    String clientId = onA.registerPublic(AuthServerTest.CALLBACK);
    String verifier = AuthServerClient.verifier();
    String code = onB.code(clientId, AuthServerTest.CALLBACK, base + AuthServerTest.MISSING, verifier, "alice", "alice-pw");
    HttpResponse<Buffer> token = onA.token(codeGrant(clientId, code, AuthServerTest.CALLBACK, verifier));
    assertEquals(200, token.statusCode(), token.bodyAsString());
    JsonObject tokens = token.bodyAsJsonObject();
    assertEquals(404, onB.initialize(AuthServerTest.MISSING, tokens.getString("access_token")).statusCode(), "B accepts A's token");
    assertEquals(404, onA.initialize(AuthServerTest.MISSING, tokens.getString("access_token")).statusCode());
    assertEquals("invalid_grant", onB.token(codeGrant(clientId, code, AuthServerTest.CALLBACK, verifier)).bodyAsJsonObject().getString("error"),
        "the code is used once across replicas");
    assertEquals("invalid_grant", onA.token(refreshGrant(clientId, tokens.getString("refresh_token"))).bodyAsJsonObject().getString("error"),
        "and its replay on B revoked what A issued");
    assertEquals(401, onB.initialize(AuthServerTest.MISSING, tokens.getString("access_token")).statusCode());
    Await.until(() -> onA.initialize(AuthServerTest.MISSING, tokens.getString("access_token")).statusCode() == 401,
        "A hears of the revoked grant and refuses its access token");
  }
}
