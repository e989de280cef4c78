package dev.mcpgateway.admin;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.sync.ExposedView;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.mcpgateway.upstream.oauth.OAuthClientConfig;
import java.util.regex.Pattern;

/**
 * Validates a create or update body field by field, exactly as the reference model limits them,
 * collecting one error per problem. Unknown and read-only fields (tools, status, created_at...) are
 * ignored, so a client may PUT back what it read. Lengths count Unicode code points.
 */
final class ServerRequestParser {
  static final int ID_MAX = 32;
  static final int NAME_MAX = 350;
  static final int DESCRIPTION_MAX = 512;
  static final int ALIAS_MAX = 40;
  static final int OVERRIDE_NAME_MAX = 256;
  static final int OVERRIDE_DESCRIPTION_MAX = 4096;
  static final int OVERRIDES_MAX = 1000;
  static final int CREDENTIALS_MAX = 16384;
  static final Pattern ID = Pattern.compile("[A-Za-z0-9-]+");
  static final Pattern ALIAS = Pattern.compile("^[a-zA-Z0-9]+([_-][a-zA-Z0-9]+)*$");

  enum Mode { CREATE, UPDATE }

  private final HostnamePolicy hostnames;

  ServerRequestParser(HostnamePolicy hostnames) {
    this.hostnames = hostnames;
  }

  /** The body as a JSON object, or a 400 for malformed (or lenient-only) JSON and for any other JSON value. */
  static JsonObject object(Buffer body) {
    if (body == null || body.toString().isBlank()) throw new ApiException(ApiError.of(ErrorCode.BODY_NOT_OBJECT));
    Object value = StrictJson.parse(body.getBytes()).orElseThrow(() -> new ApiException(ApiError.of(ErrorCode.INVALID_JSON)));
    if (!(value instanceof JsonObject object)) throw new ApiException(ApiError.of(ErrorCode.BODY_NOT_OBJECT));
    return object;
  }

  ServerFields parse(JsonObject body, Mode mode, String pathId) {
    List<ApiError> errors = new ArrayList<>();
    boolean create = mode == Mode.CREATE;

    String id = string(body, "id", create, 1, ID_MAX, false, errors);
    if (id != null && !ID.matcher(id).matches()) {
      errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/id", "may contain only letters, digits and '-'"));
    } else if (id != null && !create && !id.equals(pathId)) {
      errors.add(ApiError.field(ErrorCode.ID_MISMATCH, "/id", "differs from the id in the path; ids cannot change"));
    }
    String name = string(body, "name", create, 1, NAME_MAX, false, errors);
    if (name != null && name.isBlank()) errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, "/name", "must not be blank"));
    else if (name != null) TextRules.problem(name, false).ifPresent(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/name", p)));

    String hostname = string(body, "hostname", create, 1, HostnamePolicy.MAX_LENGTH, false, errors);
    if (hostname != null) {
      hostnames.problem(hostname).ifPresent(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/hostname", p)));
    }

    AuthType authType = null;
    String authTypeText = string(body, "auth_type", create, 0, Integer.MAX_VALUE, false, errors);
    if (authTypeText != null) {
      authType = AuthType.fromWire(authTypeText).orElse(null);
      if (authType == null) {
        errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/auth_type", "must be one of oauth, bearer, unauthenticated"));
      }
    }

    Optional<String> credentials = nullableString(body, "auth_credentials", CREDENTIALS_MAX, errors);
    if (credentials != null && credentials.isPresent()) {
      // the shape depends on the auth type; without one in the body, the stored type decides later (ServerChanges)
      Optional<String> problem = authType == AuthType.OAUTH ? OAuthClientConfig.problem(credentials.get())
          : authType == null && OAuthClientConfig.problem(credentials.get()).isEmpty() ? Optional.empty()
          : CredentialsFormat.problem(credentials.get());
      problem.ifPresent(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/auth_credentials", p)));
    }
    Optional<String> description = nullableString(body, "description", DESCRIPTION_MAX, errors);
    if (description != null && description.isPresent()) {
      TextRules.problem(description.get(), true).ifPresent(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/description", p)));
    }
    List<CapabilityOverride> tools = overrides(body, "updated_tools", errors);
    List<CapabilityOverride> prompts = overrides(body, "updated_prompts", errors);
    Boolean shared = bool(body, "is_shared_oauth_callback_enabled", "/is_shared_oauth_callback_enabled", errors);
    Boolean hold = bool(body, "hold_changed_tools", "/hold_changed_tools", errors);
    Boolean onBehalf = bool(body, "oauth_on_behalf", "/oauth_on_behalf", errors);
    List<String> accept = create ? null : names(body, "accept_tool_changes", errors);

    if (create && authType != null) checkCredentialsPresence(authType, credentials, errors);

    if (!errors.isEmpty()) throw new ApiException(errors);
    return new ServerFields(id, name, hostname, authType, credentials, description, tools, prompts, shared, hold, accept, onBehalf);
  }

  /**
   * On create the whole server is in the body, so the bearer/credentials rule is checked with the
   * other fields and reported with them (one error per problem); on update it needs the stored
   * server and is checked by {@code ServerChanges}.
   */
  private static void checkCredentialsPresence(AuthType authType, Optional<String> credentials, List<ApiError> errors) {
    boolean given = credentials != null && credentials.isPresent();
    if (authType == AuthType.BEARER && !given && errors.stream().noneMatch(e -> "/auth_credentials".equals(e.pointer()))) {
      errors.add(ApiError.field(ErrorCode.MISSING_FIELD, "/auth_credentials", "is required when auth_type is bearer"));
    } else if (authType == AuthType.UNAUTHENTICATED && given) {
      errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/auth_credentials",
          "applies only to auth_type bearer or oauth (this server is " + authType.wire() + ")"));
    }
  }

  /** The string at {@code key}, or null when absent, null, mistyped or of invalid length (each reported). */
  static String string(JsonObject body, String key, boolean required, int min, int max, boolean nullable,
      List<ApiError> errors) {
    String pointer = "/" + key;
    if (!body.containsKey(key) || body.getValue(key) == null && !nullable) {
      if (required) errors.add(ApiError.field(ErrorCode.MISSING_FIELD, pointer, "is required"));
      else if (body.containsKey(key)) errors.add(ApiError.field(ErrorCode.WRONG_TYPE, pointer, "must be a string, not null"));
      return null;
    }
    Object value = body.getValue(key);
    if (!(value instanceof String text)) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, pointer, "must be a string, not " + jsonType(value)));
      return null;
    }
    int length = length(text);
    if (length < min || length > max) {
      errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, pointer, lengthRule(min, max) + " (got " + length + ")"));
      return null;
    }
    return text;
  }

  /** null: absent; empty: explicit null; present: the string. */
  static Optional<String> nullableString(JsonObject body, String key, int max, List<ApiError> errors) {
    if (!body.containsKey(key)) return null;
    Object value = body.getValue(key);
    if (value == null) return Optional.empty();
    if (!(value instanceof String text)) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, "/" + key, "must be a string or null, not " + jsonType(value)));
      return null;
    }
    if (length(text) > max) {
      errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, "/" + key, "must be at most " + max + " characters (got " + length(text) + ")"));
      return null;
    }
    return Optional.of(text);
  }

  /** A list of tool names (or "*"), for {@code accept_tool_changes}. */
  private static List<String> names(JsonObject body, String key, List<ApiError> errors) {
    Object value = body.getValue(key);
    if (value == null) return null;
    if (!(value instanceof JsonArray array) || array.size() > OVERRIDES_MAX) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, "/" + key, "must be an array of at most " + OVERRIDES_MAX + " tool names"));
      return null;
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String name) || name.isEmpty() || length(name) > OVERRIDE_NAME_MAX) {
        errors.add(ApiError.field(ErrorCode.WRONG_TYPE, "/" + key + "/" + i, "must be a tool name (1 to " + OVERRIDE_NAME_MAX + " characters) or \"*\""));
        continue;
      }
      names.add(name);
    }
    return names;
  }

  static Boolean bool(JsonObject json, String key, String pointer, List<ApiError> errors) {
    Object value = json.getValue(key);
    if (value == null) return null;
    if (value instanceof Boolean b) return b;
    errors.add(ApiError.field(ErrorCode.WRONG_TYPE, pointer, "must be a boolean, not " + jsonType(value)));
    return null;
  }

  static List<CapabilityOverride> overrides(JsonObject body, String key, List<ApiError> errors) {
    if (!body.containsKey(key)) return null;
    Object value = body.getValue(key);
    if (value == null) return List.of();
    String pointer = "/" + key;
    if (!(value instanceof JsonArray array)) {
      errors.add(ApiError.field(ErrorCode.WRONG_TYPE, pointer, "must be an array, not " + jsonType(value)));
      return null;
    }
    if (array.size() > OVERRIDES_MAX) {
      errors.add(ApiError.field(ErrorCode.INVALID_LENGTH, pointer, "must have at most " + OVERRIDES_MAX + " items"));
      return null;
    }
    int before = errors.size();
    List<CapabilityOverride> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String itemPointer = pointer + "/" + i;
      if (!(array.getValue(i) instanceof JsonObject item)) {
        errors.add(ApiError.field(ErrorCode.WRONG_TYPE, itemPointer, "must be an object, not " + jsonType(array.getValue(i))));
        continue;
      }
      List<ApiError> itemErrors = new ArrayList<>();
      String name = string(item, "name", true, 1, OVERRIDE_NAME_MAX, false, itemErrors);
      if (name != null && name.isBlank()) itemErrors.add(ApiError.field(ErrorCode.INVALID_LENGTH, "/name", "must not be blank"));
      else if (name != null) TextRules.problem(name, false).ifPresent(p -> itemErrors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/name", p)));
      Optional<String> alias = nullableString(item, "alias", ALIAS_MAX, itemErrors);
      if (alias != null && alias.isPresent()) {
        if (alias.get().isEmpty()) itemErrors.add(ApiError.field(ErrorCode.INVALID_LENGTH, "/alias", lengthRule(1, ALIAS_MAX) + " (got 0)"));
        else if (!ALIAS.matcher(alias.get()).matches()) {
          itemErrors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/alias",
              "must be letters and digits, optionally joined by single '-' or '_'"));
        }
      }
      Optional<String> description = nullableString(item, "description", OVERRIDE_DESCRIPTION_MAX, itemErrors);
      if (description != null && description.isPresent()) {
        TextRules.problem(description.get(), true)
            .ifPresent(p -> itemErrors.add(ApiError.field(ErrorCode.INVALID_FORMAT, "/description", p)));
      }
      Boolean enabled = bool(item, "enabled", "/enabled", itemErrors);
      itemErrors.forEach(e -> errors.add(nest(e, itemPointer)));
      result.add(new CapabilityOverride(name, alias == null ? null : alias.orElse(null),
          description == null ? null : description.orElse(null), enabled));
    }
    if (errors.size() == before) checkUniqueNames(result, pointer, errors);
    return result;
  }

  /** Within one list: an override per name, aliases unique, no alias equal to another override's name ({@link ExposedView}). */
  private static void checkUniqueNames(List<CapabilityOverride> overrides, String pointer, List<ApiError> errors) {
    for (ExposedView.Conflict c : ExposedView.overrideConflicts(overrides)) {
      String at = pointer + "/" + c.index() + (c.kind() == ExposedView.Conflict.Kind.DUPLICATE_OVERRIDE ? "/name" : "/alias");
      errors.add(switch (c.kind()) {
        case DUPLICATE_OVERRIDE -> ApiError.field(ErrorCode.DUPLICATE_OVERRIDE, at, "'" + c.name() + "' already has an override in this list");
        case ALIAS_OF_ANOTHER -> ApiError.field(ErrorCode.NAME_CONFLICT, at, "'" + c.name() + "' is used by another alias");
        case ALIAS_IS_OVERRIDDEN_NAME, ALIAS_IS_SYNCED_NAME -> ApiError.field(ErrorCode.NAME_CONFLICT, at,
            "'" + c.name() + "' is the name of another overridden item");
      });
    }
  }


  static ApiError nest(ApiError error, String prefix) {
    String pointer = prefix + error.pointer();
    String message = pointer.substring(1).replace('/', '.') + error.message().substring(error.message().indexOf(':'));
    return new ApiError(error.code(), message, pointer);
  }

  static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  static String lengthRule(int min, int max) {
    return min == max ? "must be " + min + " characters" : "must be " + min + " to " + max + " characters";
  }

  static String jsonType(Object value) {
    if (value == null) return "null";
    if (value instanceof String) return "a string";
    if (value instanceof Number) return "a number";
    if (value instanceof Boolean) return "a boolean";
    if (value instanceof JsonArray) return "an array";
    if (value instanceof JsonObject) return "an object";
    return value.getClass().getSimpleName();
  }
}
