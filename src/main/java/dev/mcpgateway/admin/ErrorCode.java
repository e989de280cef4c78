package dev.mcpgateway.admin;

/**
 * Stable numeric codes of the management API's error objects, with the HTTP status each answers.
 * Part of the API contract: documented in the README and in {@code openapi.json}; never renumber.
 */
public enum ErrorCode {
  INVALID_JSON(1001, 400, "request body is not valid JSON"),
  BODY_NOT_OBJECT(1002, 400, "request body must be a JSON object"),
  BODY_TOO_LARGE(1003, 413, "request body is too large"),
  UNSUPPORTED_MEDIA_TYPE(1004, 415, "request body must be sent as Content-Type: application/json"),
  URI_TOO_LONG(1005, 414, "request line too long"),
  HEADERS_TOO_LARGE(1006, 431, "request headers too large"),
  MISSING_FIELD(1101, 400, "a required field is missing"),
  WRONG_TYPE(1102, 400, "a field has the wrong JSON type"),
  INVALID_LENGTH(1103, 400, "a field is too short or too long"),
  INVALID_FORMAT(1104, 400, "a field does not have the required format"),
  INVALID_VALUE(1105, 400, "a field has a value that is not allowed"),
  DUPLICATE_OVERRIDE(1106, 400, "two overrides name the same tool or prompt"),
  NAME_CONFLICT(1107, 400, "an alias collides with another exposed name"),
  ID_MISMATCH(1108, 400, "the body's id differs from the path's"),
  UNKNOWN_SERVER(1109, 400, "a portal or service token names an MCP server that does not exist in the account"),
  DUPLICATE_PORTAL_SERVER(1110, 400, "a portal lists the same MCP server twice"),
  UNKNOWN_FIELD(1111, 400, "the body has a field this operation does not take"),
  INVALID_QUERY_PARAMETER(1201, 400, "a query parameter is invalid"),
  INVALID_PATH_PARAMETER(1202, 400, "a path parameter is invalid"),
  OAUTH_NOT_APPLICABLE(1301, 400, "this server has no OAuth connection to make"),
  OAUTH_CALLBACK_INVALID(1302, 400, "the OAuth callback is invalid, expired or already used"),
  SERVER_NOT_FOUND(2001, 404, "MCP server not found"),
  DUPLICATE_SERVER(2002, 409, "an MCP server with this id already exists"),
  SERVER_IN_USE(2003, 409, "the MCP server is a member of portals; remove it from them first"),
  PORTAL_NOT_FOUND(2101, 404, "MCP portal not found"),
  DUPLICATE_PORTAL(2102, 409, "an MCP portal with this id already exists"),
  HOSTNAME_TAKEN(2103, 409, "another portal already uses this hostname"),
  SERVICE_TOKEN_NOT_FOUND(2201, 404, "service token not found"),
  POLICY_NOT_FOUND(2301, 404, "access policy not found"),
  NO_ROUTE(7000, 404, "no route for that URI"),
  METHOD_NOT_ALLOWED(7001, 405, "method not allowed for that URI"),
  OAUTH_UPSTREAM_FAILED(5001, 502, "the upstream's authorization server could not be used"),
  INTERNAL(9001, 500, "internal error"),
  STORE_UNAVAILABLE(9002, 503, "the store is unavailable; retry later"),
  TIMEOUT(9003, 503, "the request took too long; retry later"),
  TOO_MANY_REQUESTS(9004, 429, "too many failed authentications from this address; retry later"),
  UNAUTHENTICATED(10000, 401, "authentication required: send Authorization: Bearer <API token>"),
  FORBIDDEN(10001, 403, "this API token may not manage this account");

  private final int code;
  private final int status;
  private final String defaultMessage;

  ErrorCode(int code, int status, String defaultMessage) {
    this.code = code;
    this.status = status;
    this.defaultMessage = defaultMessage;
  }

  public int code() {
    return code;
  }

  public int status() {
    return status;
  }

  public String defaultMessage() {
    return defaultMessage;
  }
}
