package dev.mcpgateway.model;

import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One registered upstream MCP server of an account. {@code tools} and {@code prompts} are the
 * upstream objects exactly as last synced (kept as JSON so unknown fields survive); the overrides
 * are applied on the way out to agents, never to these lists. {@code credentials} is sealed: the
 * plaintext exists only while a request to the upstream is being made. {@code acceptedToolHashes}
 * are the tool definitions agents may see (see {@code sync.ToolFingerprint}): with
 * {@code holdChangedTools}, a tool whose definition changed upstream since is held back;
 * {@code heldToolsAccepted} keeps, for each held tool, the definition that had been accepted (when
 * known), so an admin can see what changed before accepting it.
 */
public record McpServer(
    String accountId,
    String id,
    String name,
    String hostname,
    AuthType authType,
    SealedSecret credentials,
    String description,
    JsonArray tools,
    JsonArray prompts,
    List<CapabilityOverride> updatedTools,
    List<CapabilityOverride> updatedPrompts,
    boolean sharedOauthCallbackEnabled,
    ServerStatus status,
    String error,
    ErrorDetails errorDetails,
    Instant lastSynced,
    Instant lastSuccessfulSync,
    Instant createdAt,
    String createdBy,
    Instant modifiedAt,
    String modifiedBy,
    boolean holdChangedTools,
    Map<String, String> acceptedToolHashes,
    OAuthConnection oauth,
    boolean oauthOnBehalf,
    Map<String, io.vertx.core.json.JsonObject> heldToolsAccepted) {

  public McpServer {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(authType, "authType");
    Objects.requireNonNull(status, "status");
    tools = tools == null ? new JsonArray() : tools;
    prompts = prompts == null ? new JsonArray() : prompts;
    updatedTools = updatedTools == null ? List.of() : List.copyOf(updatedTools);
    updatedPrompts = updatedPrompts == null ? List.of() : List.copyOf(updatedPrompts);
    acceptedToolHashes = acceptedToolHashes == null ? Map.of() : Map.copyOf(acceptedToolHashes);
    heldToolsAccepted = heldToolsAccepted == null ? Map.of() : Map.copyOf(heldToolsAccepted);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Cloudflare's {@code authentication_status}: derived from the auth type and the OAuth connection. */
  public AuthenticationStatus authenticationStatus() {
    if (authType != AuthType.OAUTH) return AuthenticationStatus.NOT_REQUIRED;
    return oauth == null ? AuthenticationStatus.REQUIRED : oauth.status();
  }

  /** Whether agents reach it with their own user's OAuth grant ({@code oauth_on_behalf}), not a credential of the server's. */
  public boolean needsUserGrant() {
    return authType == AuthType.OAUTH && oauthOnBehalf;
  }

  /** Mutable copy used to derive a changed server (PUT applies only the given fields). */
  public static final class Builder {
    private String accountId;
    private String id;
    private String name;
    private String hostname;
    private AuthType authType;
    private SealedSecret credentials;
    private String description;
    private JsonArray tools;
    private JsonArray prompts;
    private List<CapabilityOverride> updatedTools;
    private List<CapabilityOverride> updatedPrompts;
    private boolean sharedOauthCallbackEnabled;
    private ServerStatus status = ServerStatus.WAITING;
    private String error;
    private ErrorDetails errorDetails;
    private Instant lastSynced;
    private Instant lastSuccessfulSync;
    private Instant createdAt;
    private String createdBy;
    private Instant modifiedAt;
    private String modifiedBy;
    private boolean holdChangedTools = true;
    private Map<String, String> acceptedToolHashes;
    private OAuthConnection oauth;
    private boolean oauthOnBehalf;
    private Map<String, io.vertx.core.json.JsonObject> heldToolsAccepted;

    private Builder() {}

    private Builder(McpServer s) {
      accountId = s.accountId;
      id = s.id;
      name = s.name;
      hostname = s.hostname;
      authType = s.authType;
      credentials = s.credentials;
      description = s.description;
      tools = s.tools;
      prompts = s.prompts;
      updatedTools = s.updatedTools;
      updatedPrompts = s.updatedPrompts;
      sharedOauthCallbackEnabled = s.sharedOauthCallbackEnabled;
      status = s.status;
      error = s.error;
      errorDetails = s.errorDetails;
      lastSynced = s.lastSynced;
      lastSuccessfulSync = s.lastSuccessfulSync;
      createdAt = s.createdAt;
      createdBy = s.createdBy;
      modifiedAt = s.modifiedAt;
      modifiedBy = s.modifiedBy;
      holdChangedTools = s.holdChangedTools;
      acceptedToolHashes = s.acceptedToolHashes;
      oauth = s.oauth;
      oauthOnBehalf = s.oauthOnBehalf;
      heldToolsAccepted = s.heldToolsAccepted;
    }

    public Builder accountId(String v) { accountId = v; return this; }
    public Builder id(String v) { id = v; return this; }
    public Builder name(String v) { name = v; return this; }
    public Builder hostname(String v) { hostname = v; return this; }
    public Builder authType(AuthType v) { authType = v; return this; }
    public Builder credentials(SealedSecret v) { credentials = v; return this; }
    public Builder description(String v) { description = v; return this; }
    public Builder tools(JsonArray v) { tools = v; return this; }
    public Builder prompts(JsonArray v) { prompts = v; return this; }
    public Builder updatedTools(List<CapabilityOverride> v) { updatedTools = v; return this; }
    public Builder updatedPrompts(List<CapabilityOverride> v) { updatedPrompts = v; return this; }
    public Builder sharedOauthCallbackEnabled(boolean v) { sharedOauthCallbackEnabled = v; return this; }
    public Builder status(ServerStatus v) { status = v; return this; }
    public Builder error(String v) { error = v; return this; }
    public Builder errorDetails(ErrorDetails v) { errorDetails = v; return this; }
    public Builder lastSynced(Instant v) { lastSynced = v; return this; }
    public Builder lastSuccessfulSync(Instant v) { lastSuccessfulSync = v; return this; }
    public Builder createdAt(Instant v) { createdAt = v; return this; }
    public Builder createdBy(String v) { createdBy = v; return this; }
    public Builder modifiedAt(Instant v) { modifiedAt = v; return this; }
    public Builder modifiedBy(String v) { modifiedBy = v; return this; }
    public Builder holdChangedTools(boolean v) { holdChangedTools = v; return this; }
    public Builder acceptedToolHashes(Map<String, String> v) { acceptedToolHashes = v; return this; }
    public Builder oauth(OAuthConnection v) { oauth = v; return this; }
    public Builder oauthOnBehalf(boolean v) { oauthOnBehalf = v; return this; }
    public Builder heldToolsAccepted(Map<String, io.vertx.core.json.JsonObject> v) { heldToolsAccepted = v; return this; }

    /** Forget everything learned from the previous upstream: used when hostname or auth type change. */
    public Builder resetSyncState() {
      tools = new JsonArray();
      prompts = new JsonArray();
      status = ServerStatus.WAITING;
      error = null;
      errorDetails = null;
      lastSynced = null;
      lastSuccessfulSync = null;
      acceptedToolHashes = null; // another upstream: nothing of it has been accepted yet
      heldToolsAccepted = null;
      oauth = null; // and no token, registration or discovery result of the old upstream is used for the new one
      return this;
    }

    public McpServer build() {
      return new McpServer(accountId, id, name, hostname, authType, credentials, description, tools, prompts,
          updatedTools, updatedPrompts, sharedOauthCallbackEnabled, status, error, errorDetails, lastSynced,
          lastSuccessfulSync, createdAt, createdBy, modifiedAt, modifiedBy, holdChangedTools, acceptedToolHashes, oauth, oauthOnBehalf,
          heldToolsAccepted);
    }
  }
}
