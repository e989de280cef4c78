package dev.mcpgateway.admin;

import static dev.mcpgateway.admin.ServerRequestParser.jsonType;
import static dev.mcpgateway.admin.ServerRequestParser.string;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a service token body strictly, one error per problem: unlike the server and portal
 * bodies, a field the operation does not take is refused (1111), since a misspelt {@code duration}
 * silently ignored would leave a token valid for a year. What a read shows and a client may PUT
 * back ({@link #READ_ONLY}) is ignored; {@code id} must be the path's; {@code client_secret} is
 * never taken (the gateway makes secrets). Lengths count code points.
 *
 * <p>Per operation: create takes {@code name} (required), {@code duration}, {@code servers} and
 * {@code client_secret_version} (a new token's is 1); update takes the same, all optional, and
 * {@code previous_client_secret_expires_at}; rotate takes only
 * {@code previous_client_secret_expires_at}; refresh takes nothing. Rotate and refresh accept an
 * empty body.
 */
final class ServiceTokenRequestParser {
  static final int NAME_MAX = ServerRequestParser.NAME_MAX;
  static final int MAX_SERVERS = 1000;
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
  static final Set<String> READ_ONLY = Set.of("client_id", "created_at", "updated_at", "expires_at", "last_seen_at");

  enum Mode {
    CREATE(Set.of("name", "duration", "servers", "client_secret_version")),
    UPDATE(Set.of("id", "name", "duration", "servers", "client_secret_version", "previous_client_secret_expires_at")),
    ROTATE(Set.of("previous_client_secret_expires_at")),
    REFRESH(Set.of());

    final Set<String> fields;

    Mode(Set<String> fields) {
      this.fields = fields;
    }
  }

  record Parsed(ServiceTokenFields fields, List<ApiError> errors) {}

  private ServiceTokenRequestParser() {}

  /** A body as a JSON object; for rotate and refresh, none at all is an empty one. */
  static JsonObject body(Buffer body, Mode mode) {
    boolean optional = mode == Mode.ROTATE || mode == Mode.REFRESH;
    if (optional && (body == null || body.toString().isBlank())) return new JsonObject();
    return ServerRequestParser.object(body);
  }

  static Parsed parse(JsonObject body, Mode mode, String pathId) {
    List<ApiError> errors = new ArrayList<>();
    for (String key : body.fieldNames()) {
      if (key.equals("client_secret")) {
        errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/client_secret", "is made by the gateway (create, rotate) and cannot be set"));
      } else if (key.equals("id") && mode == Mode.CREATE) {
        errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/id", "is assigned by the gateway"));
      } else if (!mode.fields.contains(key) && !(READ_ONLY.contains(key) && (mode == Mode.CREATE || mode == Mode.UPDATE))) {
        errors.add(unknown(key, mode));
      }
    }
    if (mode == Mode.UPDATE && body.containsKey("id") && !(body.getValue("id") instanceof String id && id.equals(pathId))) {
      errors.add(ApiError.field(ErrorCode.ID_MISMATCH, "/id", "differs from the id in the path; ids cannot change"));
    }
    String name = mode.fields.contains("name") ? string(body, "name", mode == Mode.CREATE, 1, NAME_MAX, false, errors) : null;
    if (name != null && name.isBlank()) errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, "/name", "must not be blank"));
    else if (name != null) TextRules.problem(name, false).ifPresent(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/name", p)));

    String duration = mode.fields.contains("duration")
        ? string(body, "duration", false, 1, ServiceTokenDuration.MAX_LENGTH, false, errors) : null;
    if (duration != null) {
      var problem = ServiceTokenDuration.problem(duration);
      if (problem.isPresent()) {
        errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/duration", problem.get()));
        duration = null;
      }
    }
    List<String> servers = mode.fields.contains("servers") ? servers(body, errors) : null;
    Integer version = mode.fields.contains("client_secret_version") ? version(body, errors) : null;
    if (mode == Mode.CREATE && version != null && version != 1) {
      errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/client_secret_version", "a new token's secret is version 1"));
    }
    Instant previous = mode.fields.contains("previous_client_secret_expires_at") ? timestamp(body, errors) : null;
    return new Parsed(new ServiceTokenFields(name, duration, servers, version, previous), List.copyOf(errors));
  }

  /** {@code servers}: null when absent (or unusable as a whole), else the ids, null for an item with a problem; JSON null is every server. */
  private static List<String> servers(JsonObject body, List<ApiError> errors) {
    if (!body.containsKey("servers")) return null;
    Object value = body.getValue("servers");
    if (value == null) return List.of();
    if (!(value instanceof JsonArray array)) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, "/servers", "must be an array of server ids, not " + jsonType(value)));
      return null;
    }
    if (array.size() > MAX_SERVERS) {
      errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, "/servers", "must have at most " + MAX_SERVERS + " items (got " + array.size() + ")"));
      return null;
    }
    List<String> ids = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String pointer = "/servers/" + i;
      Object item = array.getValue(i);
      String id = null;
      if (!(item instanceof String text)) {
        errors.add(ApiError.field(ErrorCode.WRONG_TYPE, pointer, "must be a server id (a string), not " + jsonType(item)));
      } else if (text.isEmpty() || text.length() > ServerRequestParser.ID_MAX || !ServerRequestParser.ID.matcher(text).matches()) {
        errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, pointer,
            "must be a server id: 1 to " + ServerRequestParser.ID_MAX + " letters, digits and '-'"));
      } else if (seen.containsKey(text)) {
        errors.add(ApiError.field(ErrorCode.INVALID_VALUE, pointer, "'" + text + "' is already listed at servers." + seen.get(text)));
      } else {
        seen.put(text, i);
        id = text;
      }
      ids.add(id);
    }
    return Collections.unmodifiableList(ids);
  }

  private static Integer version(JsonObject body, List<ApiError> errors) {
    if (!body.containsKey("client_secret_version")) return null;
    Object value = body.getValue("client_secret_version");
    // Cloudflare's schema says number; only whole, positive ones can name a version
    if (value instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() <= Integer.MAX_VALUE && n.doubleValue() == Math.rint(n.doubleValue())) {
      return (int) n.doubleValue();
    }
    errors.add(ApiError.field(value instanceof Number ? ErrorCode.INVALID_VALUE : ErrorCode.WRONG_TYPE, "/client_secret_version",
        "must be a whole number from 1, not " + (value instanceof Number ? value : jsonType(value))));
    return null;
  }

  private static Instant timestamp(JsonObject body, List<ApiError> errors) {
    String key = "previous_client_secret_expires_at";
    // null is what a read shows before any rotation: a client putting it back changes nothing
    if (body.containsKey(key) && body.getValue(key) == null) return null;
    String text = string(body, key, false, 1, 64, false, errors);
    if (text == null) return null;
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/" + key, "must be an RFC 3339 timestamp such as 2030-01-01T00:00:00Z"));
      return null;
    }
  }

  /**
   * A field the operation does not take, named (and pointed at) only when its name looks like a
   * field name: keys are the client's text, and an error must not echo whatever was pasted there.
   */
  private static ApiError unknown(String key, Mode mode) {
    String takes = "this operation takes " + (mode.fields.isEmpty() ? "no field" : String.join(", ", mode.fields.stream().sorted().toList()));
    if (!FIELD_NAME.matcher(key).matches()) return new ApiError(ErrorCode.UNKNOWN_FIELD, "the body has a field this operation does not take (its name is not repeated: it does not look like one); " + takes, null);
    return ApiError.field(ErrorCode.UNKNOWN_FIELD, "/" + key, "is not a field of this operation; " + takes);
  }
}
