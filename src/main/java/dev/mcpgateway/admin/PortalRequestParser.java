package dev.mcpgateway.admin;

import static dev.mcpgateway.admin.ServerRequestParser.bool;
import static dev.mcpgateway.admin.ServerRequestParser.jsonType;
import static dev.mcpgateway.admin.ServerRequestParser.nest;
import static dev.mcpgateway.admin.ServerRequestParser.nullableString;
import static dev.mcpgateway.admin.ServerRequestParser.string;

import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalServer;
import dev.mcpgateway.sync.PortalView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates a portal create or update body field by field, collecting one error per problem, with
 * the servers API's rules wherever the two share a field: ids, names and descriptions as
 * {@link ServerRequestParser} limits them, overrides exactly as a server's {@code updated_tools}
 * and {@code updated_prompts}. Unknown and read-only fields are ignored (a client may PUT back what
 * it read). What needs the store — do the members exist, do their names collide — is
 * {@link PortalMembers}' job; the two report together.
 *
 * <p>Portal rules: {@code hostname} is a bare DNS host ({@link PortalHostname}); {@code code_mode}
 * is one of {@link CodeMode}'s values and, when the deprecated {@code allow_code_mode} is sent too,
 * the two must agree; {@code servers} holds at most {@link Portal#MAX_SERVERS} items, each server
 * once, each by {@code server_id} (or {@code id}, as Cloudflare's docs write it, when
 * {@code server_id} is absent), and no server id with a '_' (agents' names split on the first one).
 */
final class PortalRequestParser {
  static final int HOSTNAME_MAX = PortalHostname.MAX_LENGTH;

  enum Mode { CREATE, UPDATE }

  /** The fields as far as they are valid, and every problem found; {@code errors} empty means the body is valid. */
  record Parsed(PortalFields fields, List<ApiError> errors) {}

  Parsed parse(JsonObject body, Mode mode, String pathId) {
    List<ApiError> errors = new ArrayList<>();
    boolean create = mode == Mode.CREATE;

    String id = string(body, "id", create, 1, ServerRequestParser.ID_MAX, false, errors);
    if (id != null && !ServerRequestParser.ID.matcher(id).matches()) {
      errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/id", "may contain only letters, digits and '-'"));
    } else if (id != null && !create && !id.equals(pathId)) {
      errors.add(ApiError.field(ErrorCode.ID_MISMATCH, "/id", "differs from the id in the path; ids cannot change"));
    }
    String name = string(body, "name", create, 1, ServerRequestParser.NAME_MAX, false, errors);
    if (name != null && name.isBlank()) errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, "/name", "must not be blank"));
    else if (name != null) TextRules.problem(name, false).ifPresent(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/name", p)));

    String hostname = string(body, "hostname", create, 1, HOSTNAME_MAX, false, errors);
    if (hostname != null) {
      Optional<String> problem = PortalHostname.problem(hostname);
      problem.ifPresent(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/hostname", p)));
      hostname = problem.isPresent() ? null : PortalHostname.normalize(hostname);
    }

    Optional<String> description = nullableString(body, "description", ServerRequestParser.DESCRIPTION_MAX, errors);
    if (description != null && description.isPresent()) {
      TextRules.problem(description.get(), true).ifPresent(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/description", p)));
    }

    CodeMode codeMode = null;
    String codeModeText = string(body, "code_mode", false, 0, Integer.MAX_VALUE, false, errors);
    if (codeModeText != null) {
      codeMode = CodeMode.fromWire(codeModeText).orElse(null);
      if (codeMode == null) errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/code_mode", "must be one of off, opt_in, default_on, enforced"));
    }
    Boolean allowCodeMode = bool(body, "allow_code_mode", "/allow_code_mode", errors);
    if (codeMode != null && allowCodeMode != null && codeMode.allowed() != allowCodeMode) {
      errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/allow_code_mode", "is " + allowCodeMode + " but code_mode is '"
          + codeMode.wire() + "' (allow_code_mode is deprecated: true means any code_mode but off, false means off)"));
    }
    Boolean secureWebGateway = bool(body, "secure_web_gateway", "/secure_web_gateway", errors);
    List<PortalServer> servers = servers(body, errors);

    return new Parsed(new PortalFields(id, name, hostname, description, codeMode, allowCodeMode, secureWebGateway, servers),
        List.copyOf(errors));
  }

  /** {@code servers}: null when absent (or unusable as a whole), else one entry per item, null for an item with a problem. */
  private static List<PortalServer> servers(JsonObject body, List<ApiError> errors) {
    if (!body.containsKey("servers")) return null;
    Object value = body.getValue("servers");
    if (value == null) return List.of(); // as for a server's override lists: null is the empty set
    if (!(value instanceof JsonArray array)) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, "/servers", "must be an array, not " + jsonType(value)));
      return null;
    }
    if (array.size() > Portal.MAX_SERVERS) {
      errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, "/servers",
          "must have at most " + Portal.MAX_SERVERS + " items (got " + array.size() + ")"));
      return null;
    }
    List<PortalServer> servers = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String itemPointer = "/servers/" + i;
      if (!(array.getValue(i) instanceof JsonObject item)) {
        errors.add(ApiError.field(ErrorCode.WRONG_TYPE, itemPointer, "must be an object, not " + jsonType(array.getValue(i))));
        servers.add(null);
        continue;
      }
      List<ApiError> itemErrors = new ArrayList<>();
      PortalServer server = server(item, itemErrors);
      itemErrors.forEach(e -> errors.add(nest(e, itemPointer)));
      if (server != null && seen.containsKey(server.serverId())) {
        String key = item.containsKey("server_id") ? "server_id" : "id";
        errors.add(ApiError.field(ErrorCode.DUPLICATE_PORTAL_SERVER, itemPointer + "/" + key,
            "'" + server.serverId() + "' is already listed at servers." + seen.get(server.serverId()) + "; list each server once"));
        server = null;
      } else if (server != null) {
        seen.put(server.serverId(), i);
      }
      servers.add(itemErrors.isEmpty() ? server : null);
    }
    return Collections.unmodifiableList(servers);
  }

  /** One {@code servers[]} item, its problems reported with pointers relative to the item. */
  private static PortalServer server(JsonObject item, List<ApiError> errors) {
    // Cloudflare's docs write the member's id as "id" in one example; the API's field is server_id
    String key = !item.containsKey("server_id") && item.containsKey("id") ? "id" : "server_id";
    String serverId = string(item, key, true, 1, ServerRequestParser.ID_MAX, false, errors);
    if (serverId != null && serverId.indexOf(PortalView.SEPARATOR) >= 0) {
      errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/" + key, "must not contain '" + PortalView.SEPARATOR
          + "': a portal names each tool {server_id}_{name} and splits agents' names on the first '" + PortalView.SEPARATOR + "'"));
      serverId = null;
    } else if (serverId != null && !ServerRequestParser.ID.matcher(serverId).matches()) {
      errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/" + key, "may contain only letters, digits and '-'"));
      serverId = null;
    }
    if (key.equals("server_id") && item.getValue("id") instanceof String other && serverId != null && !other.equals(serverId)) {
      errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/id", "differs from server_id; send the member's id once, as server_id"));
    }
    Boolean defaultDisabled = bool(item, "default_disabled", "/default_disabled", errors);
    Boolean onBehalf = bool(item, "on_behalf", "/on_behalf", errors);
    List<CapabilityOverride> tools = ServerRequestParser.overrides(item, "updated_tools", errors);
    List<CapabilityOverride> prompts = ServerRequestParser.overrides(item, "updated_prompts", errors);
    if (serverId == null) return null;
    return new PortalServer(serverId, Boolean.TRUE.equals(defaultDisabled), !Boolean.FALSE.equals(onBehalf), tools, prompts);
  }
}
