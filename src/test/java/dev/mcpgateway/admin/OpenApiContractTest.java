package dev.mcpgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code openapi.json} and the management API from drifting apart: the document loads in
 * vertx-openapi, every example in it matches its schema, every response example that names the
 * request producing it ({@code x-request}) is replayed against a real gateway and must come back
 * equal (timestamps and actors aside) and valid for its operation, and the documented error codes
 * are exactly {@link ErrorCode}'s. The sync examples that need a live upstream are checked against a
 * stand-in MCP server. The portal examples are replayed between the server updates and deletes (a
 * server in use needs a portal); their members are compared as the servers are. The audit trail's
 * examples are replayed last and describe what all the requests before them recorded. The service
 * token and access policy operations, whose ids are generated, are driven against a gateway of
 * their own; the access policy answers are compared with their examples, generated ids standing for
 * the documented ones.
 */
@ExtendWith(VertxExtension.class)
class OpenApiContractTest {
  static final String DOCUMENT = "openapi.json";
  static final String JSON = "application/json";
  /** Replay order: the creates build the state that the other operations' examples describe. */
  static final List<String> REPLAY_ORDER = List.of("createServer", "listServers", "getServer", "updateServer", "createPortal",
      "listPortals", "getPortal", "updatePortal", "deletePortal", "deleteServer", "syncServer", "listAuditEntries");
  /**
   * The service token operations: not replayed from their examples (ids and secrets are random), but
   * driven against a gateway in {@link #serviceTokenAnswersMatchTheDocument}, each answer validated.
   */
  static final List<String> SERVICE_TOKENS = List.of("createServiceToken", "listServiceTokens", "getServiceToken", "updateServiceToken",
      "rotateServiceToken", "refreshServiceToken", "deleteServiceToken");
  /**
   * The access policy operations: like the service tokens', driven against a gateway in
   * {@link #policyAnswersMatchTheDocument}, with their generated ids standing for the documented ones.
   */
  static final List<String> POLICIES = List.of("createAccessPolicy", "listAccessPolicies", "getAccessPolicy", "explainAccessPolicies",
      "updateAccessPolicy", "deleteAccessPolicy");
  /**
   * The tool-call analytics operations: their answers depend on the clock (start, end, days), so they
   * are driven against a gateway with real traffic in {@link #analyticsAnswersMatchTheDocument}, each answer validated.
   */
  static final List<String> ANALYTICS = List.of("getToolCallTimeseries", "getServerToolCallTimeseries", "getPortalToolCallTimeseries");
  /** Every management operation whose examples and error responses are checked. */
  static final List<String> CHECKED =
      java.util.stream.Stream.of(REPLAY_ORDER, SERVICE_TOKENS, POLICIES, ANALYTICS).flatMap(List::stream).toList();
  /** The operations whose results are portals (each with its member servers, but for a delete's). */
  static final Set<String> PORTALS = Set.of("createPortal", "listPortals", "getPortal", "updatePortal", "deletePortal");
  /** The operations with request body examples, every one of which is sent. */
  static final List<String> WITH_BODIES = List.of("createServer", "updateServer", "createPortal", "updatePortal");
  /** Fields that differ on every run; compared by shape, not value. */
  static final Set<String> VOLATILE =
      Set.of("created_at", "created_by", "modified_at", "modified_by", "last_synced", "last_successful_sync");
  /** The one operation whose {@code result} is not a server but the outcome of a sync. */
  static final String SYNC = "syncServer";
  /** The one operation whose items are audit entries; replayed after every other, so its examples see their trail. */
  static final String AUDIT = "listAuditEntries";
  /** Fields of an audit entry that differ on every run; compared by shape, not value. */
  static final Set<String> VOLATILE_AUDIT = Set.of("id", "at", "actor");
  static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  static final String ACTOR = "acme-bot";

  @TempDir Path dataDir;
  OpenAPIContract contract;
  /** The document exactly as written (vertx-openapi's copy has its $refs resolved). */
  JsonObject doc;
  TestGateway gw;

  @BeforeEach
  void load(Vertx vertx, VertxTestContext ctx) {
    OpenAPIContract.from(vertx, DOCUMENT)
        .compose(c -> {
          contract = c;
          return vertx.fileSystem().readFile(DOCUMENT);
        })
        .onComplete(ctx.succeeding(buffer -> {
          doc = buffer.toJsonObject();
          ctx.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    if (gw == null) {
      ctx.completeNow();
    } else {
      gw.stop().onComplete(ctx.succeedingThenComplete());
    }
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void documentIsOpenApi31WithTheThirtyOneOperations(VertxTestContext ctx) {
    ctx.verify(() -> {
      assertEquals("3.1.0", doc.getString("openapi"));
      assertEquals(OpenAPIVersion.V3_1, contract.getVersion());
      String servers = "/accounts/{account_id}/access/ai-controls/mcp/servers";
      String portals = "/accounts/{account_id}/access/ai-controls/mcp/portals";
      String tokens = "/accounts/{account_id}/access/service_tokens";
      String policies = "/accounts/{account_id}/access/policies";
      String analytics = "/accounts/{account_id}/access/ai-controls/mcp/analytics";
      Map<String, String> expected = Map.ofEntries(
          Map.entry("listPortals", "GET " + portals),
          Map.entry("createPortal", "POST " + portals),
          Map.entry("getPortal", "GET " + portals + "/{id}"),
          Map.entry("updatePortal", "PUT " + portals + "/{id}"),
          Map.entry("deletePortal", "DELETE " + portals + "/{id}"),
          Map.entry("listServers", "GET " + servers),
          Map.entry("createServer", "POST " + servers),
          Map.entry("getServer", "GET " + servers + "/{id}"),
          Map.entry("updateServer", "PUT " + servers + "/{id}"),
          Map.entry("deleteServer", "DELETE " + servers + "/{id}"),
          Map.entry("syncServer", "POST " + servers + "/{id}/sync"),
          Map.entry(AUDIT, "GET /accounts/{account_id}/access/ai-controls/mcp/audit"),
          Map.entry("connectServerOAuth", "GET /oauth/connect/{account_id}/{server_id}"),
          Map.entry("completeServerOAuth", "GET /oauth/callback"),
          Map.entry("startUserOAuth", "GET /oauth/user/{account_id}/{server_id}"),
          Map.entry("listServiceTokens", "GET " + tokens),
          Map.entry("createServiceToken", "POST " + tokens),
          Map.entry("getServiceToken", "GET " + tokens + "/{service_token_id}"),
          Map.entry("updateServiceToken", "PUT " + tokens + "/{service_token_id}"),
          Map.entry("deleteServiceToken", "DELETE " + tokens + "/{service_token_id}"),
          Map.entry("rotateServiceToken", "POST " + tokens + "/{service_token_id}/rotate"),
          Map.entry("refreshServiceToken", "POST " + tokens + "/{service_token_id}/refresh"),
          Map.entry("listAccessPolicies", "GET " + policies),
          Map.entry("createAccessPolicy", "POST " + policies),
          Map.entry("getAccessPolicy", "GET " + policies + "/{policy_id}"),
          Map.entry("updateAccessPolicy", "PUT " + policies + "/{policy_id}"),
          Map.entry("deleteAccessPolicy", "DELETE " + policies + "/{policy_id}"),
          Map.entry("explainAccessPolicies", "GET " + policies + "/explain"),
          Map.entry("getToolCallTimeseries", "GET " + analytics + "/tool-calls/timeseries"),
          Map.entry("getServerToolCallTimeseries", "GET " + analytics + "/servers/{server_id}/tool-calls/timeseries"),
          Map.entry("getPortalToolCallTimeseries", "GET " + analytics + "/portals/{portal_id}/tool-calls/timeseries"));
      Map<String, String> actual = contract.operations().stream()
          .collect(Collectors.toMap(Operation::getOperationId, o -> o.getHttpMethod().name() + " " + o.getOpenAPIPath()));
      assertEquals(expected, actual);

      JsonObject scheme = doc.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("apiToken");
      assertEquals("http", scheme.getString("type"));
      assertEquals("bearer", scheme.getString("scheme"));
      assertEquals(new JsonArray().add(new JsonObject().put("apiToken", new JsonArray())), doc.getJsonArray("security"));

      Map<String, Set<Integer>> statuses = Map.ofEntries(
          Map.entry("listServers", Set.of(200, 400, 401, 403, 429, 414, 431, 500, 503)),
          Map.entry("createServer", Set.of(200, 400, 401, 403, 429, 414, 431, 409, 413, 415, 500, 503)),
          Map.entry("getServer", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry("updateServer", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 413, 415, 500, 503)),
          Map.entry("deleteServer", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 409, 500, 503)),
          Map.entry("syncServer", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry(AUDIT, Set.of(200, 400, 401, 403, 429, 414, 431, 500, 503)),
          Map.entry("listPortals", Set.of(200, 400, 401, 403, 429, 414, 431, 500, 503)),
          Map.entry("createPortal", Set.of(201, 400, 401, 403, 429, 414, 431, 409, 413, 415, 500, 503)),
          Map.entry("getPortal", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry("updatePortal", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 409, 413, 415, 500, 503)),
          Map.entry("deletePortal", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry("connectServerOAuth", Set.of(302, 200, 400, 401, 403, 404, 429, 414, 431, 500, 502, 503)),
          Map.entry("completeServerOAuth", Set.of(200, 400, 404, 429, 414, 431, 500, 502, 503)),
          Map.entry("startUserOAuth", Set.of(302, 400, 404, 429, 414, 431, 500, 502, 503)),
          Map.entry("listServiceTokens", Set.of(200, 400, 401, 403, 429, 414, 431, 500, 503)),
          Map.entry("createServiceToken", Set.of(201, 400, 401, 403, 429, 414, 431, 413, 415, 500, 503)),
          Map.entry("getServiceToken", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry("updateServiceToken", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 413, 415, 500, 503)),
          Map.entry("deleteServiceToken", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry("rotateServiceToken", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 413, 415, 500, 503)),
          Map.entry("refreshServiceToken", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 413, 415, 500, 503)),
          Map.entry("listAccessPolicies", Set.of(200, 400, 401, 403, 429, 414, 431, 500, 503)),
          Map.entry("createAccessPolicy", Set.of(201, 400, 401, 403, 429, 414, 431, 413, 415, 500, 503)),
          Map.entry("getAccessPolicy", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry("updateAccessPolicy", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 413, 415, 500, 503)),
          Map.entry("deleteAccessPolicy", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry("explainAccessPolicies", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry("getToolCallTimeseries", Set.of(200, 400, 401, 403, 429, 414, 431, 500, 503)),
          Map.entry("getServerToolCallTimeseries", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)),
          Map.entry("getPortalToolCallTimeseries", Set.of(200, 400, 401, 403, 429, 414, 431, 404, 500, 503)));
      statuses.forEach((id, codes) -> assertEquals(codes,
          operationJson(id).getJsonObject("responses").fieldNames().stream().map(Integer::valueOf).collect(Collectors.toSet()), id));

      // The sync takes no body and answers its outcome, whose messages carry code 3001 only.
      assertFalse(operationJson(SYNC).containsKey("requestBody"));
      assertEquals("#/components/schemas/ServerSyncEnvelope", operationJson(SYNC).getJsonObject("responses").getJsonObject("200")
          .getJsonObject("content").getJsonObject(JSON).getJsonObject("schema").getString("$ref"));
      assertEquals(List.of(ServerHandlers.STALE_OVERRIDE),
          property("SyncMessage", "code").getJsonArray("enum").getList());
      String description = doc.getJsonObject("info").getString("description");
      assertTrue(description.contains("| " + ServerHandlers.STALE_OVERRIDE + " | "), "info.description lacks message code 3001");
      assertFalse(description.contains("sync` answers 404"), "info.description still calls the sync unimplemented");
      ctx.completeNow();
    });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void documentedErrorCodesAreExactlyTheEnum(VertxTestContext ctx) {
    ctx.verify(() -> {
      List<JsonObject> expected = Arrays.stream(ErrorCode.values()).map(c -> new JsonObject()
          .put("code", c.code()).put("status", c.status()).put("name", c.name()).put("default_message", c.defaultMessage()))
          .toList();
      List<JsonObject> documented = doc.getJsonArray("x-error-codes").stream().map(o -> (JsonObject) o)
          .map(o -> new JsonObject().put("code", o.getInteger("code")).put("status", o.getInteger("status"))
              .put("name", o.getString("name")).put("default_message", o.getString("default_message")))
          .toList();
      assertEquals(expected, documented);

      List<Integer> codes = Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList();
      assertEquals(codes, schemaJson("ApiError").getJsonObject("properties").getJsonObject("code").getJsonArray("enum").getList());

      String table = doc.getJsonObject("info").getString("description");
      for (ErrorCode code : ErrorCode.values()) {
        String row = "| " + code.code() + " | " + code.status() + " | `" + code.name() + "` |";
        assertTrue(table.contains(row), "info.description lacks the row " + row);
      }

      // Each error response admits exactly codes of its own HTTP status, and together they admit every code.
      Set<Integer> admitted = new TreeSet<>();
      List<JsonObject> responses = new ArrayList<>();
      for (String id : CHECKED) {
        JsonObject all = operationJson(id).getJsonObject("responses");
        all.fieldNames().forEach(status -> responses.add(resolve(all.getJsonObject(status)).copy().put("x-status", status)));
      }
      JsonObject components = doc.getJsonObject("components").getJsonObject("responses");
      assertTrue(components.containsKey("NoRoute") && components.containsKey("MethodNotAllowed"));
      components.fieldNames().forEach(name -> responses.add(components.getJsonObject(name).copy()));
      for (JsonObject response : responses) {
        String ref = response.getJsonObject("content").getJsonObject(JSON).getJsonObject("schema").getString("$ref");
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        JsonArray allOf = schemaJson(name).getJsonArray("allOf");
        if (allOf == null || !allOf.getJsonObject(0).getString("$ref", "").endsWith("/ErrorEnvelope")) continue;
        List<Integer> allowed = allOf.getJsonObject(1).getJsonObject("properties").getJsonObject("errors")
            .getJsonObject("items").getJsonObject("properties").getJsonObject("code").getJsonArray("enum").getList();
        Set<Integer> statuses = allowed.stream().map(OpenApiContractTest::statusOf).collect(Collectors.toSet());
        assertEquals(1, statuses.size(), name + " mixes statuses " + statuses);
        if (response.containsKey("x-status")) {
          assertEquals(Integer.valueOf(response.getString("x-status")), statuses.iterator().next(), name);
        }
        admitted.addAll(allowed);
      }
      assertEquals(new TreeSet<>(codes), admitted, "every error code appears in some documented response");
      ctx.completeNow();
    });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void everyExampleMatchesItsSchema(VertxTestContext ctx) {
    ctx.verify(() -> {
      int checked = 0;
      for (String id : CHECKED) {
        Operation operation = contract.operation(id);
        JsonObject json = operationJson(id);
        if (json.containsKey("requestBody")) {
          JsonObject content = resolve(json.getJsonObject("requestBody")).getJsonObject("content");
          for (String type : content.fieldNames()) {
            JsonSchema schema = operation.getRequestBody().getContent().get(type).getSchema();
            checked += checkExamples(id + " request " + type, schema, content.getJsonObject(type));
          }
        }
        JsonObject responses = json.getJsonObject("responses");
        for (String status : responses.fieldNames()) {
          JsonObject content = resolve(responses.getJsonObject(status)).getJsonObject("content");
          for (String type : content.fieldNames()) {
            JsonSchema schema = operation.getResponse(Integer.parseInt(status)).getContent().get(type).getSchema();
            checked += checkExamples(id + " " + status + " " + type, schema, content.getJsonObject(type));
          }
        }
      }
      // Shared responses, including those no operation references (404 no route, 405).
      JsonObject responses = doc.getJsonObject("components").getJsonObject("responses");
      for (String name : responses.fieldNames()) {
        JsonObject content = responses.getJsonObject(name).getJsonObject("content");
        for (String type : content.fieldNames()) {
          checked += checkExamples("components.responses." + name, componentResponseSchema(name, type), content.getJsonObject(type));
        }
      }
      assertTrue(checked >= 50, "only " + checked + " examples found");
      ctx.completeNow();
    });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void schemaLimitsAreTheValidatorsLimits(VertxTestContext ctx) {
    ctx.verify(() -> {
      JsonObject id = schemaJson("ServerId");
      assertEquals(1, id.getInteger("minLength"));
      assertEquals(ServerRequestParser.ID_MAX, id.getInteger("maxLength"));
      assertEquals("^" + ServerRequestParser.ID.pattern() + "$", id.getString("pattern"));
      assertEquals(ServerRequestParser.NAME_MAX, schemaJson("ServerName").getInteger("maxLength"));
      assertEquals(HostnamePolicy.MAX_LENGTH, schemaJson("Hostname").getInteger("maxLength"));
      assertEquals(ServerRequestParser.DESCRIPTION_MAX, property("Server", "description").getInteger("maxLength"));

      JsonObject override = schemaJson("Override").getJsonObject("properties");
      assertEquals(ServerRequestParser.OVERRIDE_NAME_MAX, override.getJsonObject("name").getInteger("maxLength"));
      assertEquals(ServerRequestParser.ALIAS_MAX, override.getJsonObject("alias").getInteger("maxLength"));
      assertEquals(ServerRequestParser.ALIAS.pattern(), override.getJsonObject("alias").getString("pattern"));
      assertEquals(ServerRequestParser.OVERRIDE_DESCRIPTION_MAX, override.getJsonObject("description").getInteger("maxLength"));
      assertEquals(ServerRequestParser.OVERRIDES_MAX, schemaJson("Overrides").getInteger("maxItems"));

      for (String body : List.of("ServerCreate", "ServerUpdate")) {
        assertEquals(ServerRequestParser.CREDENTIALS_MAX, property(body, "auth_credentials").getInteger("maxLength"), body);
        assertEquals(ServerRequestParser.DESCRIPTION_MAX, property(body, "description").getInteger("maxLength"), body);
        for (String list : List.of("updated_tools", "updated_prompts")) {
          assertEquals(ServerRequestParser.OVERRIDES_MAX, property(body, list).getInteger("maxItems"), body + "." + list);
        }
      }

      // portals: the parser's limits and the model's defaults
      JsonObject portalId = schemaJson("PortalId");
      assertEquals(List.of(1, ServerRequestParser.ID_MAX, "^" + ServerRequestParser.ID.pattern() + "$"),
          List.of(portalId.getInteger("minLength"), portalId.getInteger("maxLength"), portalId.getString("pattern")));
      JsonObject portalHost = schemaJson("PortalHostname");
      assertEquals(List.of(1, PortalRequestParser.HOSTNAME_MAX, PortalHostname.PATTERN),
          List.of(portalHost.getInteger("minLength"), portalHost.getInteger("maxLength"), portalHost.getString("pattern")));
      assertEquals(java.util.Arrays.stream(dev.mcpgateway.model.CodeMode.values()).map(dev.mcpgateway.model.CodeMode::wire).toList(),
          schemaJson("CodeMode").getJsonArray("enum").getList());
      assertEquals(dev.mcpgateway.model.CodeMode.OPT_IN.wire(), schemaJson("CodeMode").getString("default"));
      for (String body : List.of("PortalCreate", "PortalUpdate")) {
        assertEquals(dev.mcpgateway.model.Portal.MAX_SERVERS, property(body, "servers").getInteger("maxItems"), body);
        assertEquals(ServerRequestParser.DESCRIPTION_MAX, property(body, "description").getInteger("maxLength"), body);
        assertEquals("#/components/schemas/ServerName", property(body, "name").getString("$ref"), body);
        assertEquals("#/components/schemas/PortalHostname", property(body, "hostname").getString("$ref"), body);
      }
      assertEquals(List.of("id", "name", "hostname"), schemaJson("PortalCreate").getJsonArray("required").getList());
      assertEquals(false, property("PortalCreate", "secure_web_gateway").getBoolean("default"));
      assertEquals(true, property("PortalCreate", "allow_code_mode").getBoolean("deprecated"));
      assertEquals(dev.mcpgateway.model.Portal.MAX_SERVERS, property("PortalFields", "servers").getInteger("maxItems"));
      JsonObject mapping = schemaJson("PortalServerMapping").getJsonObject("properties");
      assertEquals(false, mapping.getJsonObject("default_disabled").getBoolean("default"));
      assertEquals(true, mapping.getJsonObject("on_behalf").getBoolean("default"));
      for (String list : List.of("updated_tools", "updated_prompts")) {
        assertEquals(ServerRequestParser.OVERRIDES_MAX, mapping.getJsonObject(list).getInteger("maxItems"), list);
        assertEquals("#/components/schemas/Override", mapping.getJsonObject(list).getJsonObject("items").getString("$ref"), list);
      }

      JsonObject parameters = doc.getJsonObject("components").getJsonObject("parameters");
      assertEquals("#/components/schemas/PortalId", parameters.getJsonObject("portal_id").getJsonObject("schema").getString("$ref"));
      assertEquals("#/components/schemas/PortalId", parameters.getJsonObject("portal_path_id").getJsonObject("schema").getString("$ref"));
      JsonObject perPage = parameters.getJsonObject("per_page").getJsonObject("schema");
      assertEquals(ServerHandlers.DEFAULT_PER_PAGE, perPage.getInteger("default"));
      assertEquals(ServerHandlers.MAX_PER_PAGE, perPage.getInteger("maximum"));
      assertEquals(Integer.MAX_VALUE / ServerHandlers.MAX_PER_PAGE,
          parameters.getJsonObject("page").getJsonObject("schema").getInteger("maximum"));
      assertEquals(ServerHandlers.MAX_SEARCH, parameters.getJsonObject("search").getJsonObject("schema").getInteger("maxLength"));
      assertEquals("#/components/schemas/ServerId", parameters.getJsonObject("server_id").getJsonObject("schema").getString("$ref"));
      assertEquals(AuditTrail.CREDENTIALS_CHANGED, schemaJson("AuditServerView").getJsonArray("allOf").getJsonObject(1)
          .getJsonObject("properties").getJsonObject("auth_credentials").getString("const"));
      assertEquals(Set.copyOf(AuditTrail.SYNC_FIELDS), schemaJson("AuditSyncState").getJsonObject("properties").fieldNames());
      assertEquals("^" + ApiTokenAuthHandler.ACCOUNT_ID.pattern() + "$",
          parameters.getJsonObject("account_id").getJsonObject("schema").getString("pattern"));

      // service tokens: the parser's limits, and exactly the fields each strict body takes (plus the read-only ones ignored)
      assertEquals("^" + ServiceTokenHandlers.ID.pattern() + "$", schemaJson("ServiceTokenId").getString("pattern"));
      assertEquals(ServiceTokenDuration.MAX_LENGTH, schemaJson("ServiceTokenDuration").getInteger("maxLength"));
      assertEquals(ServiceTokenDuration.DEFAULT, schemaJson("ServiceTokenDuration").getString("default"));
      for (String body : List.of("ServiceTokenCreate", "ServiceTokenUpdate")) {
        assertEquals(ServiceTokenRequestParser.MAX_SERVERS, property(body, "servers").getInteger("maxItems"), body);
        assertEquals("#/components/schemas/ServerName", property(body, "name").getString("$ref"), body);
        assertEquals(false, schemaJson(body).getBoolean("additionalProperties"), body);
      }
      Map<String, ServiceTokenRequestParser.Mode> bodies = Map.of("ServiceTokenCreate", ServiceTokenRequestParser.Mode.CREATE,
          "ServiceTokenUpdate", ServiceTokenRequestParser.Mode.UPDATE, "ServiceTokenRotate", ServiceTokenRequestParser.Mode.ROTATE,
          "ServiceTokenRefresh", ServiceTokenRequestParser.Mode.REFRESH);
      bodies.forEach((body, mode) -> {
        Set<String> takes = new TreeSet<>(mode.fields);
        if (mode == ServiceTokenRequestParser.Mode.CREATE || mode == ServiceTokenRequestParser.Mode.UPDATE) {
          takes.addAll(ServiceTokenRequestParser.READ_ONLY);
        }
        JsonObject properties = schemaJson(body).getJsonObject("properties", new JsonObject());
        assertEquals(takes, new TreeSet<>(properties.fieldNames()), body);
      });
      assertEquals("#/components/schemas/ServiceTokenId",
          parameters.getJsonObject("service_token_id").getJsonObject("schema").getString("$ref"));

      // access policies: the parser's limits, its decisions, and exactly its rule types with their fields
      assertEquals("^" + PolicyHandlers.POLICY_ID.pattern() + "$", schemaJson("PolicyId").getString("pattern"));
      assertEquals("#/components/schemas/PolicyId", parameters.getJsonObject("policy_id").getJsonObject("schema").getString("$ref"));
      assertEquals("#/components/schemas/PolicyId", parameters.getJsonObject("policy_filter").getJsonObject("schema").getString("$ref"));
      assertEquals("#/components/schemas/PolicyId", property("AuditEntry", "policy_id").getString("$ref"));
      assertEquals(Arrays.stream(dev.mcpgateway.policy.AccessPolicy.Decision.values()).map(d -> d.wire()).toList(),
          schemaJson("PolicyDecision").getJsonArray("enum").getList());
      assertEquals(List.of(1, PolicyRequestParser.VALUE_MAX),
          List.of(schemaJson("PolicyRuleValue").getInteger("minLength"), schemaJson("PolicyRuleValue").getInteger("maxLength")));
      for (String policy : List.of("AccessPolicyCreate", "AccessPolicy")) {
        assertEquals("#/components/schemas/ServerName", property(policy, "name").getString("$ref"), policy);
        assertEquals("#/components/schemas/PolicyDecision", property(policy, "decision").getString("$ref"), policy);
        for (String rules : List.of("include", "require", "exclude")) {
          assertEquals(PolicyRequestParser.MAX_RULES, property(policy, rules).getInteger("maxItems"), policy + "." + rules);
          assertEquals("#/components/schemas/PolicyRule", property(policy, rules).getJsonObject("items").getString("$ref"));
        }
        assertEquals(1, property(policy, "include").getInteger("minItems"), policy);
        for (String targets : List.of("servers", "portals")) {
          assertEquals(PolicyRequestParser.MAX_TARGETS, property(policy, targets).getInteger("maxItems"), policy + "." + targets);
        }
      }
      assertEquals(List.of("name", "decision", "include"), schemaJson("AccessPolicyCreate").getJsonArray("required").getList());
      Map<String, List<String>> rules = new HashMap<>();
      for (Object item : schemaJson("PolicyRule").getJsonArray("oneOf")) {
        String ref = ((JsonObject) item).getString("$ref");
        JsonObject rule = schemaJson(ref.substring(ref.lastIndexOf('/') + 1));
        String type = (String) rule.getJsonArray("required").getList().get(0);
        assertEquals(Set.of(type), rule.getJsonObject("properties").fieldNames(), ref);
        JsonObject fields = rule.getJsonObject("properties").getJsonObject(type);
        assertEquals(false, fields.getBoolean("additionalProperties"), ref);
        List<String> required = fields.getJsonArray("required", new JsonArray()).getList();
        rules.put(type, required);
        Set<String> documented = new TreeSet<>(fields.getJsonObject("properties", new JsonObject()).fieldNames());
        if (type.equals("oidc")) assertTrue(documented.remove("identity_provider_id"), "oidc takes (and drops) identity_provider_id");
        assertEquals(new TreeSet<>(required), documented, ref);
        for (String field : required) {
          assertEquals("#/components/schemas/PolicyRuleValue", fields.getJsonObject("properties").getJsonObject(field)
              .getJsonArray("allOf").getJsonObject(0).getString("$ref"), ref + " " + field);
        }
      }
      assertEquals(PolicyRequestParser.FIELDS, rules);
      assertEquals(PolicyHandlers.MAX_POLICIES, schemaJson("AccessPolicyListEnvelope").getJsonArray("allOf").getJsonObject(1)
          .getJsonObject("properties").getJsonObject("result").getInteger("maxItems"));
      assertEquals(PolicyHandlers.MAX_POLICIES, property("PolicyListInfo", "per_page").getInteger("maximum"));
      assertEquals(PolicyHandlers.MAX_POLICIES, property("AccessVerdict", "policies").getInteger("maxItems"));
      assertEquals(dev.mcpgateway.model.Portal.MAX_SERVERS, property("AccessVerdict", "members").getInteger("maxItems"));
      for (String name : List.of("email", "groups", "service_token_id", "server_id", "portal_id")) {
        JsonObject parameter = parameters.getJsonObject("explain_" + name);
        assertEquals(name, parameter.getString("name"));
        assertEquals(PolicyRequestParser.VALUE_MAX * 4, parameter.getJsonObject("schema").getInteger("maxLength"), name);
      }
      ctx.completeNow();
    });
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void requestSchemasRejectWhatTheGatewayRejects(VertxTestContext ctx) {
    ctx.verify(() -> {
      JsonSchema create = contract.operation("createServer").getRequestBody().getContent().get(JSON).getSchema();
      JsonSchema update = contract.operation("updateServer").getRequestBody().getContent().get(JSON).getSchema();
      JsonObject valid = requestExample("createServer", "bearer_token");
      assertTrue(validate(create, valid).getValid());
      List<JsonObject> badCreates = List.of(
          valid.copy().put("id", "github_tools"),
          valid.copy().put("id", "x".repeat(33)),
          valid.copy().put("name", ""),
          valid.copy().put("name", "GitHub\u0007"),
          valid.copy().put("description", "line\u0000"),
          valid.copy().put("hostname", "ftp://mcp.example.com/"),
          valid.copy().put("hostname", "https://mcp example.com/"),
          valid.copy().put("auth_type", "token"),
          valid.copy().put("description", "d".repeat(513)),
          valid.copy().put("auth_credentials", null),
          valid.copy().put("auth_type", "oauth"),
          valid.copy().put("updated_tools", new JsonArray().add(new JsonObject().put("name", "a").put("alias", "two words"))),
          valid.copy().put("updated_tools", new JsonArray().add(new JsonObject().put("alias", "nameless"))));
      assertTrue(validate(create, valid.copy().put("description", "two\nlines,\ttabbed")).getValid());
      for (JsonObject body : badCreates) assertFalse(validate(create, body).getValid(), "create schema accepted " + body.encode());
      assertTrue(validate(update, new JsonObject()).getValid());
      assertFalse(validate(update, new JsonObject().put("auth_type", "oauth").put("auth_credentials", "token")).getValid());
      assertFalse(validate(update, new JsonObject().put("name", null)).getValid());

      JsonSchema createPortal = contract.operation("createPortal").getRequestBody().getContent().get(JSON).getSchema();
      JsonSchema updatePortal = contract.operation("updatePortal").getRequestBody().getContent().get(JSON).getSchema();
      JsonObject portal = requestExample("createPortal", "engineering");
      assertTrue(validate(createPortal, portal).getValid());
      JsonArray eightyOne = new JsonArray();
      for (int i = 0; i < 81; i++) eightyOne.add(new JsonObject().put("server_id", "s" + i));
      List<JsonObject> badPortals = List.of(
          portal.copy().put("id", "eng_portal"),
          portal.copy().put("id", "p".repeat(33)),
          portal.copy().put("name", ""),
          portal.copy().put("hostname", "https://mcp.example.com"),
          portal.copy().put("hostname", "mcp.example.com:443"),
          portal.copy().put("hostname", "10.0.0.1"),
          portal.copy().put("hostname", "-mcp.example.com"),
          portal.copy().put("hostname", "h".repeat(254)),
          portal.copy().put("description", "d".repeat(513)),
          portal.copy().put("code_mode", "always"),
          portal.copy().put("code_mode", "off").put("allow_code_mode", true),
          portal.copy().put("code_mode", "enforced").put("allow_code_mode", false),
          portal.copy().put("allow_code_mode", "yes"),
          portal.copy().put("secure_web_gateway", 1),
          portal.copy().put("servers", eightyOne),
          portal.copy().put("servers", new JsonArray().add(new JsonObject().put("server_id", "git_hub"))),
          portal.copy().put("servers", new JsonArray().add(new JsonObject().put("default_disabled", true))),
          portal.copy().put("servers", new JsonArray().add(new JsonObject().put("server_id", "a").put("on_behalf", "no"))),
          portal.copy().put("servers", new JsonArray().add(new JsonObject().put("server_id", "a").put("updated_tools",
              new JsonArray().add(new JsonObject().put("alias", "nameless"))))));
      for (JsonObject body : badPortals) assertFalse(validate(createPortal, body).getValid(), "portal create schema accepted " + body.encode());
      assertTrue(validate(createPortal, new JsonObject().put("id", "p").put("name", "P").put("hostname", "p.example.com")
          .put("servers", new JsonArray().add(new JsonObject().put("id", "github-tools")))).getValid(), "a member by id");
      assertTrue(validate(createPortal, portal.copy().put("code_mode", "off").put("allow_code_mode", false)).getValid());
      assertTrue(validate(updatePortal, new JsonObject()).getValid());
      assertTrue(validate(updatePortal, new JsonObject().putNull("servers").putNull("description")).getValid());
      assertFalse(validate(updatePortal, new JsonObject().putNull("name")).getValid());
      assertFalse(validate(updatePortal, new JsonObject().put("hostname", "mcp.example.com/mcp")).getValid());

      // access policies (PolicyApiContract sends these bodies and more: each is a 400)
      JsonSchema createPolicy = contract.operation("createAccessPolicy").getRequestBody().getContent().get(JSON).getSchema();
      JsonObject policy = requestExample("createAccessPolicy", "engineering");
      assertTrue(validate(createPolicy, policy).getValid());
      JsonArray fiftyOne = new JsonArray();
      JsonArray hundredOne = new JsonArray();
      for (int i = 0; i < 51; i++) fiftyOne.add(new JsonObject().put("everyone", new JsonObject()));
      for (int i = 0; i < 101; i++) hundredOne.add("s" + i);
      JsonObject noInclude = policy.copy();
      noInclude.remove("include");
      List<JsonObject> badPolicies = new ArrayList<>(List.of(noInclude,
          policy.copy().put("name", ""),
          policy.copy().put("name", 7),
          policy.copy().put("decision", "bypass"),
          policy.copy().put("decision", "maybe"),
          policy.copy().putNull("include"),
          policy.copy().put("include", new JsonArray()),
          policy.copy().put("include", fiftyOne),
          policy.copy().put("require", fiftyOne),
          policy.copy().put("exclude", fiftyOne),
          policy.copy().put("include", new JsonObject().put("everyone", new JsonObject())),
          policy.copy().put("include", new JsonArray().add("everyone")),
          policy.copy().putNull("servers").putNull("portals"),
          policy.copy().put("servers", new JsonArray()).put("portals", new JsonArray()),
          policy.copy().put("servers", "*"),
          policy.copy().put("servers", new JsonArray().add("../etc")),
          policy.copy().put("portals", new JsonArray().add("")),
          policy.copy().put("servers", hundredOne)));
      for (String rule : List.of("{\"ip\": {\"ip\": \"10.0.0.0/8\"}}", "{\"made_up\": {}}", "{\"email\": {\"email\": \"not-an-address\"}}",
          "{\"email\": {\"email\": \"a@b.example\", \"extra\": 1}}", "{\"email_domain\": {\"domain\": \"not a domain\"}}",
          "{\"everyone\": {}, \"email\": {\"email\": \"a@b.example\"}}", "{\"everyone\": {\"x\": 1}}",
          "{\"service_token\": {\"token_id\": \"\"}}", "{\"service_token\": {\"token_id\": \"  \"}}", "{\"service_token\": {}}",
          "{\"oidc\": {\"claim_name\": \"groups\"}}", "{\"oidc\": {\"claim_name\": \"groups\", \"claim_value\": 7}}",
          "{\"email\": {\"email\": \"" + "a".repeat(250) + "@b.example\"}}")) {
        badPolicies.add(policy.copy().put("include", new JsonArray().add(new JsonObject(rule))));
      }
      for (JsonObject body : badPolicies) assertFalse(validate(createPolicy, body).getValid(), "policy schema accepted " + body.encode());
      for (String rule : List.of("{\"email_domain\": {\"domain\": \"@Example.COM\"}}", "{\"any_valid_service_token\": {}}",
          "{\"oidc\": {\"claim_name\": \"groups\", \"claim_value\": \"eng\", \"identity_provider_id\": \"idp\"}}",
          "{\"email\": {\"email\": \" a@b.example \"}}")) {
        JsonObject body = policy.copy().put("include", new JsonArray().add(new JsonObject(rule)));
        assertTrue(validate(createPolicy, body).getValid(), "policy schema refused " + body.encode());
      }
      assertTrue(validate(createPolicy, policy.copy().putNull("servers").putNull("require").put("reusable", true)).getValid());
      assertTrue(validate(createPolicy, policy.copy().put("servers", new JsonArray().add("*").add("github-tools"))).getValid());
      ctx.completeNow();
    });
  }

  /**
   * Sends every create and update request example, and every request an example response names
   * in {@code x-request}, to a real gateway: each answer must validate against its operation and
   * equal the documented example.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void documentedExamplesReplayAgainstARunningGateway(Vertx vertx, VertxTestContext ctx) {
    Set<String> sentBodies = new LinkedHashSet<>();
    ResponseValidator validator = ResponseValidator.create(vertx, contract);
    List<Supplier<Future<Void>>> steps = new ArrayList<>();
    for (String id : REPLAY_ORDER) {
      JsonObject responses = operationJson(id).getJsonObject("responses");
      responses.fieldNames().stream().sorted().forEach(status -> {
        JsonObject content = resolve(responses.getJsonObject(status)).getJsonObject("content").getJsonObject(JSON);
        JsonObject examples = content.getJsonObject("examples", new JsonObject());
        for (String name : examples.fieldNames()) {
          JsonObject example = examples.getJsonObject(name);
          if (!example.containsKey("x-request")) continue;
          String where = id + " " + status + " " + name;
          steps.add(() -> replay(id, example.getJsonObject("x-request"), sentBodies)
              .compose(response -> validated(validator, id, response).compose(v -> verify(ctx, () -> {
                assertEquals(Integer.parseInt(status), response.statusCode(), where + ": " + response.bodyAsString());
                JsonObject body = response.bodyAsJsonObject();
                if (response.statusCode() == 401) checkChallenge(where, response);
                if (id.equals(SYNC)) {
                  checkSyncResultIsDocumented(where, body);
                  assertEquals(stableSync(example.getJsonObject("value")), stableSync(body), where);
                } else if (id.equals(AUDIT)) {
                  checkAuditIsDocumented(where, body);
                  assertEquals(stableAudit(where, example.getJsonObject("value")), stableAudit(where, body), where);
                } else if (PORTALS.contains(id)) {
                  checkPortalsAreDocumented(where, id, body);
                  assertEquals(stablePortals(example.getJsonObject("value")), stablePortals(body), where);
                } else {
                  checkVolatileFields(where, body);
                  checkServersAreDocumented(where, body);
                  assertEquals(stable(example.getJsonObject("value")), stable(body), where);
                }
              }))));
        }
      });
    }
    gateway(vertx)
        .compose(v -> sequence(steps))
        .compose(v -> verify(ctx, () -> {
          Set<String> all = new LinkedHashSet<>();
          for (String id : WITH_BODIES) {
            requestExamples(id).fieldNames().forEach(name -> all.add(id + "/" + name));
          }
          assertEquals(all, sentBodies, "every request example is sent");
          assertTrue(steps.size() >= 70, "only " + steps.size() + " replayable examples");
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The documented responses no example can produce by itself: 413, 405, 404 for a path, 503 (store down), for servers and portals. */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void otherErrorResponsesMatchTheDocument(Vertx vertx, VertxTestContext ctx) {
    ResponseValidator validator = ResponseValidator.create(vertx, contract);
    String servers = TestGateway.servers("acme");
    String portals = TestGateway.portals("acme");
    JsonObject created = requestExample("createServer", "oauth");
    Buffer tooLarge = created.copy().put("id", "big").put("description", "x".repeat(70_000)).toBuffer();
    gateway(vertx)
        .compose(v -> send(HttpMethod.POST, servers, TestGateway.ACME, created.toBuffer()))
        .compose(r -> validated(validator, "createServer", r))
        .compose(v -> send(HttpMethod.POST, servers, TestGateway.ACME, tooLarge))
        .compose(r -> expect(ctx, validator, "createServer", r, 413, example("PayloadTooLarge", "too_large")))
        .compose(v -> send(HttpMethod.PUT, servers + "/jira", TestGateway.ACME, tooLarge))
        .compose(r -> expect(ctx, validator, "updateServer", r, 413, example("PayloadTooLarge", "too_large")))
        .compose(v -> send(HttpMethod.PATCH, servers + "/jira", TestGateway.ACME, created.toBuffer()))
        .compose(r -> expectComponent(ctx, r, 405, "MethodNotAllowed", "method_not_allowed"))
        .compose(v -> send(HttpMethod.DELETE, servers, TestGateway.ACME, null))
        .compose(r -> expectComponent(ctx, r, 405, "MethodNotAllowed", "method_not_allowed"))
        .compose(v -> send(HttpMethod.GET, servers + "/jira/sync", TestGateway.ACME, null))
        .compose(r -> expectComponent(ctx, r, 405, "MethodNotAllowed", "method_not_allowed"))
        .compose(v -> send(HttpMethod.POST, servers + "/jira/refresh", TestGateway.ACME, null))
        .compose(r -> expectComponent(ctx, r, 404, "NoRoute", "no_route"))
        .compose(v -> send(HttpMethod.POST, servers + "/jira/refresh", null, null))
        .compose(r -> expectComponent(ctx, r, 401, "Unauthorized", "missing_token"))
        .compose(v -> send(HttpMethod.POST, portals, TestGateway.ACME, tooLarge))
        .compose(r -> expect(ctx, validator, "createPortal", r, 413, example("PayloadTooLarge", "too_large")))
        .compose(v -> send(HttpMethod.PUT, portals + "/sandbox", TestGateway.ACME, tooLarge))
        .compose(r -> expect(ctx, validator, "updatePortal", r, 413, example("PayloadTooLarge", "too_large")))
        .compose(v -> send(HttpMethod.PATCH, portals + "/sandbox", TestGateway.ACME, created.toBuffer()))
        .compose(r -> expectComponent(ctx, r, 405, "MethodNotAllowed", "method_not_allowed"))
        .compose(v -> send(HttpMethod.DELETE, portals, TestGateway.ACME, null))
        .compose(r -> expectComponent(ctx, r, 405, "MethodNotAllowed", "method_not_allowed"))
        .compose(v -> send(HttpMethod.GET, portals + "/sandbox/servers", TestGateway.ACME, null))
        .compose(r -> expectComponent(ctx, r, 404, "NoRoute", "no_route"))
        .compose(v -> gw.gateway.stores().close())
        .compose(v -> send(HttpMethod.POST, servers, TestGateway.ACME, created.copy().put("id", "jira-2").toBuffer()))
        .compose(r -> expect(ctx, validator, "createServer", r, 503, example("ServiceUnavailable", "store_unavailable")))
        .compose(v -> send(HttpMethod.POST, servers + "/jira/sync", TestGateway.ACME, null))
        .compose(r -> expect(ctx, validator, SYNC, r, 503, responseExample(SYNC, 503, "store_unavailable")))
        .compose(v -> send(HttpMethod.GET, "/accounts/acme/access/ai-controls/mcp/audit", TestGateway.ACME, null))
        .compose(r -> expect(ctx, validator, AUDIT, r, 503, example("ServiceUnavailable", "store_unavailable")))
        .compose(v -> send(HttpMethod.POST, portals, TestGateway.ACME, requestExample("createPortal", "sandbox").toBuffer()))
        .compose(r -> expect(ctx, validator, "createPortal", r, 503, example("ServiceUnavailable", "store_unavailable")))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Every service token operation against a real gateway, each answer validated against its
   * operation: the request body examples sent as documented (their servers created first), the
   * secret in the create's and the rotate's answer only, and the documented refusals (400, 404).
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void serviceTokenAnswersMatchTheDocument(Vertx vertx, VertxTestContext ctx) {
    ResponseValidator validator = ResponseValidator.create(vertx, contract);
    String tokens = "/accounts/acme/access/service_tokens";
    Map<String, String> ids = new HashMap<>();
    Future<Void> chain = gateway(vertx);
    for (String server : List.of("github-tools", "jira")) {
      chain = chain.compose(v -> send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ACME, new JsonObject().put("id", server)
          .put("name", server).put("hostname", "https://mcp.example.com/" + server).put("auth_type", "unauthenticated").toBuffer()))
          .compose(r -> verify(ctx, () -> assertEquals(200, r.statusCode(), r.bodyAsString())));
    }
    Set<String> sent = new TreeSet<>();
    for (String name : requestExamples("createServiceToken").fieldNames()) {
      chain = chain.compose(v -> send(HttpMethod.POST, tokens, TestGateway.ACME, requestExample("createServiceToken", name).toBuffer()))
          .compose(r -> validated(validator, "createServiceToken", r).compose(v -> verify(ctx, () -> {
            assertEquals(201, r.statusCode(), r.bodyAsString());
            JsonObject token = r.bodyAsJsonObject().getJsonObject("result");
            assertTrue(token.getString("client_secret").matches("[0-9a-f]{64}"), token.encode());
            ids.put(name, token.getString("id"));
            sent.add("createServiceToken/" + name);
          })));
    }
    Supplier<String> one = () -> tokens + "/" + ids.get("default");
    chain = chain
        .compose(v -> send(HttpMethod.GET, tokens, TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "listServiceTokens", r, 200))
        .compose(v -> send(HttpMethod.GET, one.get(), TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "getServiceToken", r, 200))
        .compose(v -> send(HttpMethod.PUT, one.get(), TestGateway.ACME, requestExample("updateServiceToken", "longer").toBuffer()))
        .compose(r -> expectValid(ctx, validator, "updateServiceToken", r, 200))
        .compose(v -> send(HttpMethod.POST, one.get() + "/rotate", TestGateway.ACME, requestExample("rotateServiceToken", "at_once").toBuffer()))
        .compose(r -> expectValid(ctx, validator, "rotateServiceToken", r, 200))
        .compose(v -> send(HttpMethod.POST, one.get() + "/rotate", TestGateway.ACME, new JsonObject()
            .put("previous_client_secret_expires_at", Instant.now().plusSeconds(3600).toString()).toBuffer()))
        .compose(r -> expectValid(ctx, validator, "rotateServiceToken", r, 200))
        .compose(v -> send(HttpMethod.POST, one.get() + "/refresh", TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "refreshServiceToken", r, 200))
        .compose(v -> send(HttpMethod.POST, one.get() + "/refresh", TestGateway.ACME, requestExample("refreshServiceToken", "none").toBuffer()))
        .compose(r -> expectValid(ctx, validator, "refreshServiceToken", r, 200))
        .compose(v -> send(HttpMethod.POST, tokens, TestGateway.ACME, new JsonObject().put("name", "x").put("duration", "1y").toBuffer()))
        .compose(r -> expectValid(ctx, validator, "createServiceToken", r, 400))
        .compose(v -> send(HttpMethod.GET, tokens + "?per_page=0", TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "listServiceTokens", r, 400))
        .compose(v -> send(HttpMethod.GET, "/accounts/bad.account/access/service_tokens/" + ids.get("default"), TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "getServiceToken", r, 400))
        .compose(v -> send(HttpMethod.DELETE, one.get(), TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "deleteServiceToken", r, 200))
        .compose(v -> send(HttpMethod.GET, one.get(), TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "getServiceToken", r, 404))
        .compose(v -> send(HttpMethod.POST, one.get() + "/rotate", TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "rotateServiceToken", r, 404))
        .compose(v -> send(HttpMethod.GET, "/accounts/acme/access/ai-controls/mcp/audit?service_token_id=" + ids.get("default"),
            TestGateway.ACME, null))
        .compose(r -> validated(validator, AUDIT, r).compose(v -> verify(ctx, () -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          List<String> actions = r.bodyAsJsonObject().getJsonArray("result").stream().map(e -> ((JsonObject) e).getString("action")).toList();
          assertEquals(List.of("delete", "refresh", "refresh", "rotate", "rotate", "update", "create"), actions);
          assertEquals(new TreeSet<>(requestExamples("createServiceToken").fieldNames().stream().map(n -> "createServiceToken/" + n).toList()),
              sent, "every create example is sent");
        })));
    chain.onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Every access policy operation against a real gateway, each answer validated against its
   * operation and compared with its example: the create examples sent in order (the servers and the
   * portal they name made first), list, read, every example with an {@code x-request} (the
   * explanations, for users and a service token on servers and for a user on a portal with its
   * members; the bad bodies, unknown and malformed ids, an unknown portal), the PUT example, delete;
   * then 413, 415, 400 (account), 401 and 403. The generated ids stand for the documented ones;
   * timestamps are compared by shape.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void policyAnswersMatchTheDocument(Vertx vertx, VertxTestContext ctx) {
    ResponseValidator validator = ResponseValidator.create(vertx, contract);
    String policies = "/accounts/acme/access/policies";
    JsonObject documentedList = responseExample("listAccessPolicies", 200, "three_policies");
    Map<String, String> documentedIds = new HashMap<>();
    Map<String, JsonObject> created = new HashMap<>();
    Set<String> sentBodies = new TreeSet<>();
    Set<String> replayed = new TreeSet<>();
    Future<Void> chain = gateway(vertx);
    for (String server : List.of("github-tools", "jira")) {
      chain = chain.compose(v -> send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ACME, new JsonObject().put("id", server)
          .put("name", server).put("hostname", "https://mcp.example.com/" + server).put("auth_type", "unauthenticated").toBuffer()))
          .compose(r -> verify(ctx, () -> assertEquals(200, r.statusCode(), r.bodyAsString())));
    }
    chain = chain.compose(v -> send(HttpMethod.POST, TestGateway.portals("acme"), TestGateway.ACME, new JsonObject().put("id", "engineering")
            .put("name", "Engineering").put("hostname", "mcp.example.com").put("servers", new JsonArray()
                .add(new JsonObject().put("server_id", "github-tools")).add(new JsonObject().put("server_id", "jira"))).toBuffer()))
        .compose(r -> verify(ctx, () -> assertEquals(201, r.statusCode(), r.bodyAsString())));
    chain = chain.compose(v -> verify(ctx, () -> assertEquals(responseExample("createAccessPolicy", 201, "created"),
        success(documentedPolicy(documentedList, "Engineering")), "the 201 example is the list's")));
    for (String name : requestExamples("createAccessPolicy").fieldNames()) {
      // a millisecond apart at least: the evaluation order is the creation order
      chain = chain.compose(v -> pause(vertx, 3))
          .compose(v -> send(HttpMethod.POST, policies, TestGateway.ACME, requestExample("createAccessPolicy", name).toBuffer()))
          .compose(r -> verify(ctx, () -> {
            assertEquals(201, r.statusCode(), r.bodyAsString());
            JsonObject policy = r.bodyAsJsonObject().getJsonObject("result");
            documentedIds.put(policy.getString("id"), documentedPolicy(documentedList, policy.getString("name")).getString("id"));
            created.put(name, policy);
            sentBodies.add("createAccessPolicy/" + name);
          }).compose(v -> expectPolicyAnswer(ctx, validator, "createAccessPolicy", r, 201, success(documentedPolicy(documentedList,
              r.bodyAsJsonObject().getJsonObject("result").getString("name"))), documentedIds)));
    }
    Supplier<String> engineering = () -> policies + "/" + created.get("engineering").getString("id");
    chain = chain
        .compose(v -> send(HttpMethod.GET, policies, TestGateway.ACME, null))
        .compose(r -> expectPolicyAnswer(ctx, validator, "listAccessPolicies", r, 200, documentedList, documentedIds))
        .compose(v -> send(HttpMethod.GET, engineering.get(), TestGateway.ACME, null))
        .compose(r -> expectPolicyAnswer(ctx, validator, "getAccessPolicy", r, 200,
            responseExample("getAccessPolicy", 200, "engineering"), documentedIds));
    // every example that names its request, before the PUT changes what the explanations describe
    for (String id : POLICIES) {
      JsonObject responses = operationJson(id).getJsonObject("responses");
      for (String status : new TreeSet<>(responses.fieldNames())) {
        JsonObject examples = resolve(responses.getJsonObject(status)).getJsonObject("content").getJsonObject(JSON)
            .getJsonObject("examples", new JsonObject());
        for (String name : examples.fieldNames()) {
          JsonObject example = examples.getJsonObject(name);
          if (!example.containsKey("x-request")) continue;
          chain = chain.compose(v -> replay(id, example.getJsonObject("x-request"), sentBodies))
              .compose(r -> expectPolicyAnswer(ctx, validator, id, r, Integer.parseInt(status), example.getJsonObject("value"), documentedIds))
              .compose(v -> verify(ctx, () -> replayed.add(id + " " + status + " " + name)));
        }
      }
    }
    JsonObject tooLarge = requestExample("createAccessPolicy", "engineering").copy().put("name", "x".repeat(70_000));
    chain = chain
        .compose(v -> send(HttpMethod.PUT, engineering.get(), TestGateway.ACME, requestExample("updateAccessPolicy", "widen").toBuffer()))
        .compose(r -> expectPolicyAnswer(ctx, validator, "updateAccessPolicy", r, 200,
            responseExample("updateAccessPolicy", 200, "replaced"), documentedIds).compose(v -> verify(ctx, () -> {
              sentBodies.add("updateAccessPolicy/widen");
              JsonObject replaced = r.bodyAsJsonObject().getJsonObject("result");
              assertEquals(created.get("engineering").getString("created_at"), replaced.getString("created_at"), "created_at stays");
              assertFalse(Instant.parse(replaced.getString("updated_at")).isBefore(Instant.parse(replaced.getString("created_at"))));
            })))
        .compose(v -> send(HttpMethod.POST, policies, TestGateway.ACME, tooLarge.toBuffer()))
        .compose(r -> expect(ctx, validator, "createAccessPolicy", r, 413, example("PayloadTooLarge", "too_large")))
        .compose(v -> send(HttpMethod.PUT, engineering.get(), TestGateway.ACME, tooLarge.toBuffer()))
        .compose(r -> expect(ctx, validator, "updateAccessPolicy", r, 413, example("PayloadTooLarge", "too_large")))
        .compose(v -> send(HttpMethod.POST, policies, TestGateway.ACME, Buffer.buffer("name=Engineering"),
            "application/x-www-form-urlencoded"))
        .compose(r -> expectPolicyAnswer(ctx, validator, "createAccessPolicy", r, 415, null, documentedIds))
        .compose(v -> send(HttpMethod.PUT, engineering.get(), TestGateway.ACME, Buffer.buffer("name=Engineering"), "text/plain"))
        .compose(r -> expectPolicyAnswer(ctx, validator, "updateAccessPolicy", r, 415, null, documentedIds))
        .compose(v -> send(HttpMethod.GET, "/accounts/bad.account/access/policies/explain?email=a@example.com&server_id=jira",
            TestGateway.ACME, null))
        .compose(r -> expectPolicyAnswer(ctx, validator, "explainAccessPolicies", r, 400, null, documentedIds))
        .compose(v -> send(HttpMethod.GET, "/accounts/bad.account/access/policies", TestGateway.ACME, null))
        .compose(r -> expectPolicyAnswer(ctx, validator, "listAccessPolicies", r, 400,
            responseExample("listAccessPolicies", 400, "invalid_account"), documentedIds))
        .compose(v -> send(HttpMethod.GET, policies, null, null))
        .compose(r -> expectPolicyAnswer(ctx, validator, "listAccessPolicies", r, 401, null, documentedIds))
        .compose(v -> send(HttpMethod.POST, "/accounts/globex/access/policies", TestGateway.ACME,
            requestExample("createAccessPolicy", "engineering").toBuffer()))
        .compose(r -> expectPolicyAnswer(ctx, validator, "createAccessPolicy", r, 403, null, documentedIds))
        .compose(v -> send(HttpMethod.DELETE, engineering.get(), TestGateway.ACME, null))
        .compose(r -> expectPolicyAnswer(ctx, validator, "deleteAccessPolicy", r, 200,
            responseExample("deleteAccessPolicy", 200, "deleted"), documentedIds))
        .compose(v -> send(HttpMethod.GET, engineering.get(), TestGateway.ACME, null))
        .compose(r -> expectPolicyAnswer(ctx, validator, "getAccessPolicy", r, 404, null, documentedIds))
        .compose(v -> send(HttpMethod.DELETE, engineering.get(), TestGateway.ACME, null))
        .compose(r -> expectPolicyAnswer(ctx, validator, "deleteAccessPolicy", r, 404, null, documentedIds))
        // the trail the engineering policy's changes left: its create and PUT as listAuditEntries' example one_policy shows them
        .compose(v -> send(HttpMethod.GET, "/accounts/acme/access/ai-controls/mcp/audit?policy_id=" + created.get("engineering").getString("id"),
            TestGateway.ACME, null))
        .compose(r -> validated(validator, AUDIT, r).compose(v -> verify(ctx, () -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          List<JsonObject> entries = r.bodyAsJsonObject().getJsonArray("result").stream().map(e -> (JsonObject) e).toList();
          assertEquals(List.of("delete", "update", "create"), entries.stream().map(e -> e.getString("action")).toList());
          entries.forEach(e -> assertEquals(ACTOR, e.getString("actor"), e.encode()));
          assertEquals(created.get("engineering"), entries.get(2).getJsonObject("after"), "the policy as the create answered it");
          assertEquals(entries.get(1).getJsonObject("after"), entries.get(0).getJsonObject("before"));
          List<JsonObject> documented = responseExample(AUDIT, 200, "one_policy").getJsonArray("result").stream()
              .map(e -> stablePolicyAudit((JsonObject) e, Map.of())).toList();
          assertEquals(documented, entries.subList(1, 3).stream().map(e -> stablePolicyAudit(e, documentedIds)).toList());
        })))
        .compose(v -> send(HttpMethod.GET, "/accounts/acme/access/ai-controls/mcp/audit?policy_id=not-a-policy", TestGateway.ACME, null))
        .compose(r -> validated(validator, AUDIT, r).compose(v -> verify(ctx, () -> assertEquals(400, r.statusCode(), r.bodyAsString()))))
        .compose(v -> send(HttpMethod.GET, policies, TestGateway.ACME, null))
        .compose(r -> expectPolicyAnswer(ctx, validator, "listAccessPolicies", r, 200, null, documentedIds).compose(v -> verify(ctx, () -> {
          assertEquals(2, r.bodyAsJsonObject().getJsonArray("result").size(), r.bodyAsString());
          Set<String> all = new TreeSet<>();
          for (String id : List.of("createAccessPolicy", "updateAccessPolicy")) {
            requestExamples(id).fieldNames().forEach(name -> all.add(id + "/" + name));
          }
          assertEquals(all, sentBodies, "every request example is sent");
          assertTrue(replayed.size() >= 17, "only " + replayed.size() + " examples with x-request: " + replayed);
        })));
    chain.onComplete(ctx.succeedingThenComplete());
  }

  /**
   * The answer has this status, is valid for its operation, and (given an example) equals it once
   * the generated policy ids are replaced by the documented ones and the timestamps (RFC 3339, each)
   * are left out on both sides.
   */
  private Future<Void> expectPolicyAnswer(VertxTestContext ctx, ResponseValidator validator, String operationId,
      HttpResponse<Buffer> response, int status, JsonObject example, Map<String, String> documentedIds) {
    return verify(ctx, () -> assertEquals(status, response.statusCode(), operationId + ": " + response.bodyAsString()))
        .compose(v -> validated(validator, operationId, response))
        .compose(v -> verify(ctx, () -> {
          if (status == 401) checkChallenge(operationId, response);
          if (example != null) {
            assertEquals(withoutTimes(example, Map.of(), false), withoutTimes(response.bodyAsJsonObject(), documentedIds, true),
                operationId + " " + status);
          }
        }));
  }

  /** A copy with every string found in {@code ids} replaced and {@code created_at}/{@code updated_at} left out (checked first). */
  private static Object withoutTimes(Object value, Map<String, String> ids, boolean check) {
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> {
        if (e.getKey().equals("created_at") || e.getKey().equals("updated_at")) {
          if (check) Instant.parse((String) e.getValue());
        } else {
          copy.put(e.getKey(), withoutTimes(e.getValue(), ids, check));
        }
      });
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(withoutTimes(item, ids, check)));
      return copy;
    }
    if (value instanceof String text) return ids.getOrDefault(text, text);
    return value;
  }

  /** The policy of this name in the list example. */
  private static JsonObject documentedPolicy(JsonObject list, String name) {
    return list.getJsonArray("result").stream().map(p -> (JsonObject) p).filter(p -> p.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("the list example lacks the policy " + name));
  }

  private static JsonObject success(JsonObject result) {
    return new JsonObject().put("success", true).put("errors", new JsonArray()).put("messages", new JsonArray()).put("result", result);
  }

  private static Future<Void> pause(Vertx vertx, long ms) {
    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
    vertx.setTimer(ms, t -> promise.complete());
    return promise.future();
  }

  /** The answer has this status and is valid for its operation; a secret only where the document puts one. */
  private Future<Void> expectValid(VertxTestContext ctx, ResponseValidator validator, String operationId, HttpResponse<Buffer> response,
      int status) {
    return verify(ctx, () -> assertEquals(status, response.statusCode(), operationId + ": " + response.bodyAsString()))
        .compose(v -> validated(validator, operationId, response))
        .compose(v -> verify(ctx, () -> {
          boolean secret = response.bodyAsString().contains("\"client_secret\"");
          assertEquals(status < 300 && Set.of("createServiceToken", "rotateServiceToken").contains(operationId), secret, response.bodyAsString());
        }));
  }

  /**
   * The tool-call analytics operations against a gateway whose one server was called through its
   * endpoint: every answer (daily, monthly, aggregated, per tool, in an offset; 400; 404) is valid for its operation.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void analyticsAnswersMatchTheDocument(Vertx vertx, VertxTestContext ctx) {
    ResponseValidator validator = ResponseValidator.create(vertx, contract);
    String analytics = "/accounts/acme/access/ai-controls/mcp/analytics";
    String account = analytics + "/tool-calls/timeseries";
    String server = analytics + "/servers/github-tools/tool-calls/timeseries";
    String portal = analytics + "/portals/eng/tool-calls/timeseries";
    Future<Void> chain = gateway(vertx)
        .compose(v -> send(HttpMethod.POST, TestGateway.servers("acme"), TestGateway.ACME, new JsonObject().put("id", "github-tools")
            .put("name", "GitHub").put("hostname", "https://mcp.example.com/github").put("auth_type", "unauthenticated").toBuffer()))
        .compose(r -> verify(ctx, () -> assertEquals(200, r.statusCode(), r.bodyAsString())))
        .compose(v -> send(HttpMethod.POST, TestGateway.portals("acme"), TestGateway.ACME, new JsonObject().put("id", "eng").put("name", "Eng")
            .put("hostname", "eng.portal.test").put("servers", new JsonArray().add(new JsonObject().put("server_id", "github-tools"))).toBuffer()))
        .compose(r -> verify(ctx, () -> assertEquals(201, r.statusCode(), r.bodyAsString())))
        // counts as the flushes store them: one call on the server's endpoint, two through the portal
        .compose(v -> gw.gateway.stores().toolCalls().add(Map.of(
            new dev.mcpgateway.model.ToolCallKey("acme", dev.mcpgateway.model.ToolCallKey.bucketOf(Instant.now()), "github-tools", null, "open_issue"), 1L,
            new dev.mcpgateway.model.ToolCallKey("acme", dev.mcpgateway.model.ToolCallKey.bucketOf(Instant.now()), "github-tools", "eng",
                "github-tools_list_issues"), 2L)));
    for (String query : List.of("", "?aggregate=true", "?granularity=monthly", "?granularity=monthly&aggregate=true", "?tz=%2B05:45&days=179",
        "?tz=Z&days=1", "?tz=-12:00")) {
      for (String path : List.of(account, server, portal)) {
        String id = path == account ? "getToolCallTimeseries" : path == server ? "getServerToolCallTimeseries" : "getPortalToolCallTimeseries";
        chain = chain.compose(v -> send(HttpMethod.GET, path + query, TestGateway.ACME, null))
            .compose(r -> expectValid(ctx, validator, id, r, 200)
                .compose(v -> verify(ctx, () -> assertEquals(path == portal ? 2 : 3, r.bodyAsJsonObject().getJsonObject("result").getLong("total"),
                    r.bodyAsString()))));
      }
    }
    chain = chain
        .compose(v -> send(HttpMethod.GET, account + "?granularity=weekly&aggregate=maybe&tz=%2B15:00&days=0", TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "getToolCallTimeseries", r, 400)
            .compose(v -> verify(ctx, () -> assertEquals(4, r.bodyAsJsonObject().getJsonArray("errors").size(), r.bodyAsString()))))
        .compose(v -> send(HttpMethod.GET, analytics + "/servers/unknown-server/tool-calls/timeseries", TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "getServerToolCallTimeseries", r, 404))
        .compose(v -> send(HttpMethod.GET, analytics + "/portals/unknown-portal/tool-calls/timeseries", TestGateway.ACME, null))
        .compose(r -> expectValid(ctx, validator, "getPortalToolCallTimeseries", r, 404))
        .compose(v -> send(HttpMethod.GET, analytics + "/portals/unknown-portal/tool-calls/timeseries", TestGateway.ACME, null))
        .compose(r -> verify(ctx, () -> assertEquals(responseExample("getPortalToolCallTimeseries", 404, "unknown"), r.bodyAsJsonObject())));
    chain.onComplete(ctx.succeedingThenComplete());
  }

  /**
   * The sync examples that need a live upstream, against stand-in MCP servers on this host: each
   * answer must validate and equal its example, and the synced server must read back as documented.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void syncOutcomesMatchTheDocumentedExamples(Vertx vertx, VertxTestContext ctx) {
    ResponseValidator validator = ResponseValidator.create(vertx, contract);
    String servers = TestGateway.servers("acme");
    JsonArray tools = new JsonArray()
        .add(new JsonObject().put("name", "list_issues").put("description", "List issues of a team")
            .put("inputSchema", new JsonObject().put("type", "object")));
    JsonArray prompts = new JsonArray().add(new JsonObject().put("name", "triage").put("description", "Triage new issues"));
    JsonObject rpcError = new JsonObject().put("code", -32603).put("message", "tool registry unavailable");
    JsonObject getSyncError = responseExample("getServer", 200, "sync_error").getJsonObject("result");
    Map<String, String> upstreams = new HashMap<>();
    Map<String, JsonObject> results = new HashMap<>();

    Future<Void> chain = gateway(vertx)
        .compose(v -> upstream(vertx, mcpServer(tools, prompts, null))).map(url -> upstreams.put("good", url))
        .compose(v -> upstream(vertx, request -> request.response().setStatusCode(502).end())).map(url -> upstreams.put("http", url))
        .compose(v -> upstream(vertx, mcpServer(tools, prompts, rpcError))).map(url -> upstreams.put("rpc", url))
        .mapEmpty();
    // server id, upstream, overrides, documented outcome
    List<List<Object>> cases = List.of(
        List.of("tracker", "good", new JsonArray(), "ready"),
        List.of("tracker-2", "good", new JsonArray().add(new JsonObject().put("name", "create_issue").put("alias", "new-issue")),
            "stale_override"),
        List.of("weather", "http", new JsonArray(), "upstream_http_error"),
        List.of("wiki", "rpc", new JsonArray(), "jsonrpc_error"));
    for (List<Object> c : cases) {
      String id = (String) c.get(0);
      String exampleName = (String) c.get(3);
      chain = chain
          .compose(v -> send(HttpMethod.POST, servers, TestGateway.ACME, new JsonObject().put("id", id).put("name", id)
              .put("hostname", upstreams.get((String) c.get(1))).put("auth_type", "unauthenticated")
              .put("updated_tools", c.get(2)).toBuffer()))
          .compose(r -> verify(ctx, () -> assertEquals(200, r.statusCode(), r.bodyAsString())))
          .compose(v -> send(HttpMethod.POST, servers + "/" + id + "/sync", TestGateway.ACME, null))
          .compose(r -> verify(ctx, () -> checkSyncResultIsDocumented(exampleName, r.bodyAsJsonObject()))
              .compose(v -> expect(ctx, validator, SYNC, r, 200, responseExample(SYNC, 200, exampleName))))
          .compose(v -> send(HttpMethod.GET, servers + "/" + id, TestGateway.ACME, null))
          .compose(r -> validated(validator, "getServer", r).compose(v -> verify(ctx, () -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonObject server = r.bodyAsJsonObject().getJsonObject("result");
            checkVolatileFields(id, r.bodyAsJsonObject());
            checkServersAreDocumented(id, r.bodyAsJsonObject());
            results.put(id, server);
          })));
    }
    chain
        .compose(v -> verify(ctx, () -> {
          Set<String> replayed = new TreeSet<>();
          JsonObject examples = operationJson(SYNC).getJsonObject("responses").getJsonObject("200").getJsonObject("content")
              .getJsonObject(JSON).getJsonObject("examples");
          examples.fieldNames().stream().filter(n -> examples.getJsonObject(n).containsKey("x-request")).forEach(replayed::add);
          cases.forEach(c -> replayed.add((String) c.get(3)));
          assertEquals(new TreeSet<>(examples.fieldNames()), replayed, "every sync example is replayed or checked here");

          JsonObject ready = results.get("tracker");
          assertEquals("ready", ready.getString("status"));
          assertEquals(tools, ready.getJsonArray("tools"));
          assertEquals(prompts, ready.getJsonArray("prompts"));
          assertEquals(ready.getString("last_synced"), ready.getString("last_successful_sync"));
          assertFalse(ready.containsKey("error") || ready.containsKey("error_details"), ready.encode());

          // the failure is recorded on the server exactly as getServer's example shows it
          JsonObject failed = results.get("weather");
          assertEquals("error", failed.getString("status"));
          assertEquals(getSyncError.getString("error"), failed.getString("error"));
          assertEquals(getSyncError.getJsonObject("error_details"), failed.getJsonObject("error_details"));
          assertNotNull(failed.getString("last_synced"));
          assertFalse(failed.containsKey("last_successful_sync"), failed.encode());
          assertEquals(new JsonArray(), failed.getJsonArray("tools"));
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void gatewayServesThisDocument(Vertx vertx, VertxTestContext ctx) {
    gateway(vertx)
        .compose(v -> gw.client.get("/openapi.json").send())
        .compose(r -> vertx.fileSystem().readFile(DOCUMENT).compose(file -> verify(ctx, () -> {
          assertEquals(200, r.statusCode());
          assertTrue(r.getHeader("Content-Type").startsWith(JSON));
          assertEquals(file, r.body());
          assertEquals(doc, r.bodyAsJsonObject());
        })))
        .onComplete(ctx.succeedingThenComplete());
  }

  // ------------------------------------------------------------------------------------ replay

  private Future<HttpResponse<Buffer>> replay(String operationId, JsonObject request, Set<String> sentBodies) {
    Operation operation = contract.operation(operationId);
    String path = operation.getOpenAPIPath().replace("{account_id}", request.getString("account", "acme"));
    for (String parameter : List.of("{id}", "{policy_id}")) {
      if (!path.contains(parameter)) continue;
      String id = request.getString("id");
      if (id == null) return Future.failedFuture(new AssertionError(operationId + ": x-request without id " + request.encode()));
      path = path.replace(parameter, id);
    }
    if (request.containsKey("query")) path += "?" + request.getString("query");
    String token = switch (request.getString("authorization", "valid")) {
      case "valid" -> TestGateway.ACME;
      case "invalid" -> "not-a-configured-token";
      case "none" -> null;
      default -> throw new IllegalArgumentException("x-request.authorization " + request.getString("authorization"));
    };
    Buffer body = null;
    if (request.containsKey("body_example")) {
      String name = request.getString("body_example");
      body = requestExample(operationId, name).toBuffer();
      sentBodies.add(operationId + "/" + name);
    } else if (request.containsKey("body")) {
      body = Json.encodeToBuffer(request.getValue("body"));
    } else if (request.containsKey("raw_body")) {
      body = Buffer.buffer(request.getString("raw_body"));
    }
    return send(operation.getHttpMethod(), path, token, body, request.getString("content_type", JSON));
  }

  private Future<HttpResponse<Buffer>> send(HttpMethod method, String path, String token, Buffer body) {
    return send(method, path, token, body, JSON);
  }

  private Future<HttpResponse<Buffer>> send(HttpMethod method, String path, String token, Buffer body, String contentType) {
    HttpRequest<Buffer> request = gw.client.request(method, path);
    if (token != null) request.putHeader("Authorization", "Bearer " + token);
    if (body == null) return request.send();
    return request.putHeader("Content-Type", contentType).sendBuffer(body);
  }

  /** vertx-openapi's verdict on a response: status, declared headers and body against the operation. */
  private Future<Void> validated(ResponseValidator validator, String operationId, HttpResponse<Buffer> response) {
    Response declared = contract.operation(operationId).getResponse(response.statusCode());
    Map<String, String> headers = new HashMap<>();
    if (declared != null) {
      for (Parameter header : declared.getHeaders()) {
        String value = response.getHeader(header.getName());
        if (value != null) headers.put(header.getName(), value);
      }
    }
    ValidatableResponse validatable = ValidatableResponse.create(response.statusCode(), headers, response.body(),
        response.getHeader("Content-Type"));
    return validator.validate(validatable, operationId)
        .recover(e -> Future.failedFuture(new AssertionError(operationId + " answered " + response.statusCode() + " "
            + response.bodyAsString() + ", which the document does not allow: " + e.getMessage(), e)))
        .mapEmpty();
  }

  private Future<Void> expect(VertxTestContext ctx, ResponseValidator validator, String operationId,
      HttpResponse<Buffer> response, int status, JsonObject example) {
    return verify(ctx, () -> assertEquals(status, response.statusCode(), response.bodyAsString()))
        .compose(v -> validated(validator, operationId, response))
        .compose(v -> verify(ctx, () -> assertEquals(example, response.bodyAsJsonObject())));
  }

  /** For answers that belong to no operation: the shared response's schema, headers and example. */
  private Future<Void> expectComponent(VertxTestContext ctx, HttpResponse<Buffer> response, int status, String name,
      String exampleName) {
    return verify(ctx, () -> {
      assertEquals(status, response.statusCode(), response.bodyAsString());
      assertEquals(JSON, response.getHeader("Content-Type"));
      JsonObject headers = doc.getJsonObject("components").getJsonObject("responses").getJsonObject(name).getJsonObject("headers");
      for (String header : headers.fieldNames()) assertNotNull(response.getHeader(header), name + " without " + header);
      if (status == 401) checkChallenge(name, response);
      JsonObject body = response.bodyAsJsonObject();
      OutputUnit unit = validate(componentResponseSchema(name, JSON), body);
      assertTrue(unit.getValid(), name + ": " + body.encode() + " " + unit.getErrors());
      assertEquals(example(name, exampleName), body);
    });
  }

  private Future<Void> gateway(Vertx vertx) {
    return TestGateway.start(vertx, dataDir, null).map(g -> {
      gw = g;
      return null;
    });
  }

  /** An HTTP server on this host (closed with the test's Vert.x); answers its MCP endpoint URL. */
  private static Future<String> upstream(Vertx vertx, Handler<HttpServerRequest> handler) {
    return vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
        .map(server -> "http://127.0.0.1:" + server.actualPort() + "/mcp");
  }

  /**
   * A minimal MCP server over Streamable HTTP answering JSON: initialize (tools and prompts
   * capabilities, the client's protocol version), one page of tools and of prompts; with
   * {@code toolsError}, tools/list answers that JSON-RPC error instead.
   */
  private static Handler<HttpServerRequest> mcpServer(JsonArray tools, JsonArray prompts, JsonObject toolsError) {
    return request -> {
      if (request.method() != HttpMethod.POST) {
        request.response().setStatusCode(405).end();
        return;
      }
      request.body().onSuccess(body -> {
        JsonObject message = body.toJsonObject();
        Object id = message.getValue("id");
        if (id == null) {
          request.response().setStatusCode(202).end();
          return;
        }
        JsonObject answer = new JsonObject().put("jsonrpc", "2.0").put("id", id);
        switch (message.getString("method")) {
          case "initialize" -> answer.put("result", new JsonObject()
              .put("protocolVersion", message.getJsonObject("params").getString("protocolVersion"))
              .put("capabilities", new JsonObject().put("tools", new JsonObject()).put("prompts", new JsonObject()))
              .put("serverInfo", new JsonObject().put("name", "stand-in").put("version", "1")));
          case "tools/list" -> {
            if (toolsError != null) answer.put("error", toolsError);
            else answer.put("result", new JsonObject().put("tools", tools));
          }
          case "prompts/list" -> answer.put("result", new JsonObject().put("prompts", prompts));
          default -> answer.put("error", new JsonObject().put("code", -32601).put("message", "Method not found"));
        }
        request.response().putHeader("Content-Type", JSON).end(answer.encode());
      });
    };
  }

  // ------------------------------------------------------------------------------------ checks

  private int checkExamples(String where, JsonSchema schema, JsonObject mediaType) {
    assertFalse(mediaType.containsKey("example"), where + ": use examples, not example");
    JsonObject examples = mediaType.getJsonObject("examples", new JsonObject());
    for (String name : examples.fieldNames()) {
      JsonObject example = resolve(examples.getJsonObject(name));
      assertTrue(example.containsKey("value"), where + " " + name + " has no value");
      OutputUnit unit = validate(schema, example.getValue("value"));
      assertTrue(unit.getValid(), where + " example " + name + " does not match its schema: " + unit.getErrors());
    }
    return examples.size();
  }

  private OutputUnit validate(JsonSchema schema, Object value) {
    return contract.getSchemaRepository().validator(schema).validate(value);
  }

  /**
   * The 401 challenge, which the document describes in prose: vertx-openapi 5.0 cannot decode a
   * header value with double quotes, so it is not a declared header.
   */
  private static void checkChallenge(String where, HttpResponse<Buffer> response) {
    String challenge = response.getHeader("WWW-Authenticate");
    assertNotNull(challenge, where + ": 401 without WWW-Authenticate");
    assertTrue(challenge.matches("Bearer realm=\"mcp-gateway\"(, error=\"invalid_token\")?"), where + ": " + challenge);
  }

  /** Timestamps are RFC 3339 and the actor is the calling token's name, whatever the example shows. */
  private static void checkVolatileFields(String where, JsonObject body) {
    for (JsonObject server : servers(body)) {
      for (String field : List.of("created_at", "modified_at")) Instant.parse(server.getString(field));
      for (String field : List.of("last_synced", "last_successful_sync")) {
        if (server.containsKey(field)) Instant.parse(server.getString(field));
      }
      assertEquals(ACTOR, server.getString("created_by"), where);
      assertEquals(ACTOR, server.getString("modified_by"), where);
    }
  }

  /** The validator ignores unknown fields: every field the gateway shows must be in the Server schema. */
  private void checkServersAreDocumented(String where, JsonObject body) {
    Set<String> serverFields = schemaJson("Server").getJsonObject("properties").fieldNames();
    Set<String> overrideFields = schemaJson("Override").getJsonObject("properties").fieldNames();
    for (JsonObject server : servers(body)) {
      assertTrue(serverFields.containsAll(server.fieldNames()), where + ": undocumented field in " + server.fieldNames());
      for (String list : List.of("updated_tools", "updated_prompts")) {
        for (Object item : server.getJsonArray(list)) {
          assertTrue(overrideFields.containsAll(((JsonObject) item).fieldNames()), where + ": undocumented override field " + item);
        }
      }
    }
  }

  /** The validator ignores unknown fields: every field of a sync's outcome must be in its schemas. */
  private void checkSyncResultIsDocumented(String where, JsonObject body) {
    if (!Boolean.TRUE.equals(body.getBoolean("success"))) return;
    JsonObject result = body.getJsonObject("result");
    assertTrue(schemaJson("ServerSyncResponse").getJsonObject("properties").fieldNames().containsAll(result.fieldNames()),
        where + ": undocumented field in " + result.fieldNames());
    JsonObject details = result.getJsonObject("error_details");
    if (details != null) {
      assertTrue(schemaJson("ErrorDetails").getJsonObject("properties").fieldNames().containsAll(details.fieldNames()),
          where + ": undocumented error_details field in " + details.fieldNames());
    }
    Set<String> messageFields = schemaJson("SyncMessage").getJsonObject("properties").fieldNames();
    for (Object message : body.getJsonArray("messages")) {
      assertTrue(messageFields.containsAll(((JsonObject) message).fieldNames()), where + ": undocumented message field " + message);
    }
  }

  /** A policy's audit entry without what differs on every run: the entry's id, time and actor, the policy's timestamps; ids as documented. */
  private static JsonObject stablePolicyAudit(JsonObject entry, Map<String, String> documentedIds) {
    JsonObject stable = entry.copy();
    stable.remove("id");
    stable.remove("at");
    stable.remove("actor");
    stable.put("policy_id", documentedIds.getOrDefault(stable.getString("policy_id"), stable.getString("policy_id")));
    for (String side : List.of("before", "after")) {
      if (!(stable.getValue(side) instanceof JsonObject policy)) continue;
      policy.remove("created_at");
      policy.remove("updated_at");
      policy.put("id", documentedIds.getOrDefault(policy.getString("id"), policy.getString("id")));
    }
    return stable;
  }

  /**
   * The validator ignores unknown fields: every field of an audit entry, and of the server or sync
   * state it shows, must be documented; the actor is the calling token's name.
   */
  private void checkAuditIsDocumented(String where, JsonObject body) {
    if (!Boolean.TRUE.equals(body.getBoolean("success"))) return;
    Set<String> entryFields = schemaJson("AuditEntry").getJsonObject("properties").fieldNames();
    Set<String> serverFields = new java.util.HashSet<>(schemaJson("Server").getJsonObject("properties").fieldNames());
    serverFields.add("auth_credentials");
    Set<String> syncFields = schemaJson("AuditSyncState").getJsonObject("properties").fieldNames();
    Set<String> portalFields = schemaJson("PortalFields").getJsonObject("properties").fieldNames();
    Set<String> mappingFields = schemaJson("PortalServerMapping").getJsonObject("properties").fieldNames();
    for (Object item : body.getJsonArray("result")) {
      JsonObject entry = (JsonObject) item;
      assertTrue(entryFields.containsAll(entry.fieldNames()), where + ": undocumented field in " + entry.fieldNames());
      assertEquals(ACTOR, entry.getString("actor"), where);
      Instant.parse(entry.getString("at"));
      for (String side : List.of("before", "after")) {
        if (!(entry.getValue(side) instanceof JsonObject server)) continue;
        Set<String> documented = entry.containsKey("portal_id") ? portalFields
            : "sync".equals(entry.getString("action")) ? syncFields : serverFields;
        if (entry.containsKey("portal_id")) {
          for (Object member : server.getJsonArray("servers")) {
            assertTrue(mappingFields.containsAll(((JsonObject) member).fieldNames()), where + ": undocumented mapping field " + member);
          }
        }
        assertTrue(documented.containsAll(server.fieldNames()), where + ": undocumented field in " + side + " " + server.fieldNames());
        if (server.containsKey("created_by")) assertEquals(ACTOR, server.getString("created_by"), where);
        if (server.containsKey("modified_by")) assertEquals(ACTOR, server.getString("modified_by"), where);
      }
    }
  }

  /**
   * An audit page without what differs on every run: each entry's id (a positive integer, falling
   * down the page), time and actor, and in before/after the volatile server fields and the wording of
   * {@code error_details.cause}.
   */
  private static JsonObject stableAudit(String where, JsonObject body) {
    JsonObject copy = body.copy();
    if (!Boolean.TRUE.equals(copy.getBoolean("success"))) return copy;
    long previous = Long.MAX_VALUE;
    for (Object item : copy.getJsonArray("result")) {
      JsonObject entry = (JsonObject) item;
      long id = entry.getLong("id");
      assertTrue(id > 0 && id < previous, where + ": ids must fall down the page, newest first");
      previous = id;
      VOLATILE_AUDIT.forEach(entry::remove);
      for (String side : List.of("before", "after")) {
        if (!(entry.getValue(side) instanceof JsonObject server)) continue;
        VOLATILE.forEach(server::remove);
        JsonObject details = server.getJsonObject("error_details");
        if (details != null) {
          Object cause = details.remove("cause");
          assertTrue(cause instanceof String text && !text.isBlank(), where + ": error_details.cause must be a non-empty string");
        }
      }
    }
    return copy;
  }

  /** A sync's answer without {@code error_details.cause}, whose wording varies (it must be there, though). */
  private static JsonObject stableSync(JsonObject body) {
    JsonObject copy = body.copy();
    JsonObject result = copy.getValue("result") instanceof JsonObject object ? object : null;
    JsonObject details = result == null ? null : result.getJsonObject("error_details");
    if (details != null) {
      Object cause = details.remove("cause");
      assertTrue(cause instanceof String text && !text.isBlank(), "error_details.cause must be a non-empty string: " + cause);
    }
    return copy;
  }

  private static List<JsonObject> servers(JsonObject body) {
    if (!Boolean.TRUE.equals(body.getBoolean("success"))) return List.of();
    Object result = body.getValue("result");
    if (result instanceof JsonObject server) return List.of(server);
    List<JsonObject> list = new ArrayList<>();
    ((JsonArray) result).forEach(o -> list.add((JsonObject) o));
    return list;
  }

  /**
   * The validator ignores unknown fields: every field of a portal, of each member (the server's
   * fields and the mapping's) and of each merged override must be documented; timestamps are RFC
   * 3339 and the actors the calling token's name; a deleted portal has no servers.
   */
  private void checkPortalsAreDocumented(String where, String operationId, JsonObject body) {
    Set<String> portalFields = schemaJson("PortalFields").getJsonObject("properties").fieldNames();
    Set<String> memberFields = new java.util.HashSet<>(schemaJson("Server").getJsonObject("properties").fieldNames());
    memberFields.addAll(schemaJson("PortalServer").getJsonArray("allOf").getJsonObject(1).getJsonObject("properties").fieldNames());
    Set<String> overrideFields = schemaJson("PortalOverride").getJsonObject("properties").fieldNames();
    for (JsonObject portal : servers(body)) {
      assertTrue(portalFields.containsAll(portal.fieldNames()), where + ": undocumented portal field in " + portal.fieldNames());
      assertEquals(operationId.equals("deletePortal"), !portal.containsKey("servers"), where + ": servers only outside a delete");
      Instant.parse(portal.getString("created_at"));
      Instant.parse(portal.getString("modified_at"));
      assertEquals(ACTOR, portal.getString("created_by"), where);
      assertEquals(ACTOR, portal.getString("modified_by"), where);
      for (Object o : portal.getJsonArray("servers", new JsonArray())) {
        JsonObject member = (JsonObject) o;
        assertTrue(memberFields.containsAll(member.fieldNames()), where + ": undocumented member field in " + member.fieldNames());
        assertEquals(member.getString("id"), member.getString("server_id"), where);
        assertEquals(ACTOR, member.getString("created_by"), where);
        for (String list : List.of("updated_tools", "updated_prompts")) {
          for (Object item : member.getJsonArray(list)) {
            assertTrue(overrideFields.containsAll(((JsonObject) item).fieldNames()), where + ": undocumented override field " + item);
          }
        }
      }
    }
  }

  /** Portals without the fields that differ on every run, their own and their members'. */
  private static JsonObject stablePortals(JsonObject body) {
    JsonObject copy = body.copy();
    for (JsonObject portal : servers(copy)) {
      VOLATILE.forEach(portal::remove);
      for (Object member : portal.getJsonArray("servers", new JsonArray())) VOLATILE.forEach(((JsonObject) member)::remove);
    }
    return copy;
  }

  /** The body without the fields that differ on every run. */
  private static JsonObject stable(JsonObject body) {
    JsonObject copy = body.copy();
    for (JsonObject server : servers(copy)) VOLATILE.forEach(server::remove);
    return copy;
  }

  private static int statusOf(int code) {
    return Arrays.stream(ErrorCode.values()).filter(c -> c.code() == code).findFirst()
        .orElseThrow(() -> new AssertionError("documented code " + code + " is not in ErrorCode")).status();
  }

  // ------------------------------------------------------------------------------------ document access

  private JsonObject operationJson(String operationId) {
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (METHODS.contains(method) && operationId.equals(item.getJsonObject(method).getString("operationId"))) {
          return item.getJsonObject(method);
        }
      }
    }
    throw new AssertionError("no operation " + operationId);
  }

  private JsonObject requestExamples(String operationId) {
    return resolve(operationJson(operationId).getJsonObject("requestBody")).getJsonObject("content").getJsonObject(JSON)
        .getJsonObject("examples");
  }

  private JsonObject requestExample(String operationId, String name) {
    JsonObject example = requestExamples(operationId).getJsonObject(name);
    if (example == null) throw new AssertionError(operationId + " has no request example " + name);
    return resolve(example).getJsonObject("value");
  }

  /** The value of a response example of an operation (following a shared response's $ref). */
  private JsonObject responseExample(String operationId, int status, String name) {
    JsonObject examples = resolve(operationJson(operationId).getJsonObject("responses").getJsonObject(String.valueOf(status)))
        .getJsonObject("content").getJsonObject(JSON).getJsonObject("examples");
    JsonObject example = examples.getJsonObject(name);
    if (example == null) throw new AssertionError(operationId + " " + status + " has no example " + name);
    return resolve(example).getJsonObject("value");
  }

  private JsonObject example(String componentResponse, String name) {
    return doc.getJsonObject("components").getJsonObject("responses").getJsonObject(componentResponse)
        .getJsonObject("content").getJsonObject(JSON).getJsonObject("examples").getJsonObject(name).getJsonObject("value");
  }

  private JsonObject schemaJson(String name) {
    return doc.getJsonObject("components").getJsonObject("schemas").getJsonObject(name);
  }

  private JsonObject property(String schema, String name) {
    return schemaJson(schema).getJsonObject("properties").getJsonObject(name);
  }

  /** The schema of a shared response, from vertx-openapi's resolved copy of the document. */
  private JsonSchema componentResponseSchema(String name, String type) {
    return JsonSchema.of(contract.getRawContract().getJsonObject("components").getJsonObject("responses")
        .getJsonObject(name).getJsonObject("content").getJsonObject(type).getJsonObject("schema"));
  }

  /** Follows a local {@code $ref} ("#/components/..."). */
  private JsonObject resolve(JsonObject object) {
    String ref = object.getString("$ref");
    if (ref == null) return object;
    if (!ref.startsWith("#/")) throw new AssertionError("only local $refs are expected: " + ref);
    Object node = doc;
    for (String token : ref.substring(2).split("/")) {
      node = ((JsonObject) node).getValue(token.replace("~1", "/").replace("~0", "~"));
      if (node == null) throw new AssertionError("dangling $ref " + ref);
    }
    return resolve((JsonObject) node);
  }

  // ------------------------------------------------------------------------------------ futures

  /** Runs the block inside the test context; a failed assertion also stops the chain. */
  private static Future<Void> verify(VertxTestContext ctx, VertxTestContext.ExecutionBlock block) {
    ctx.verify(block);
    return ctx.failed() ? Future.failedFuture(ctx.causeOfFailure()) : Future.succeededFuture();
  }

  private static Future<Void> sequence(List<Supplier<Future<Void>>> steps) {
    Future<Void> chain = Future.succeededFuture();
    for (Supplier<Future<Void>> step : steps) chain = chain.compose(v -> step.get());
    return chain;
  }
}
