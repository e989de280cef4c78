package dev.mcpgateway.admin;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.CapabilityOverride;
import dev.mcpgateway.sync.ExposedView;
import dev.mcpgateway.model.McpServer;
import dev.mcpgateway.model.ServerStatus;
import dev.mcpgateway.security.SealedContexts;
import dev.mcpgateway.sync.ToolFingerprint;
import dev.mcpgateway.security.SecretCipher;
import io.vertx.core.json.JsonArray;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns validated fields into a new server or a changed one, with the rules that need the whole
 * server: bearer needs credentials, credentials belong only to bearer, an alias may not take the
 * name of another synced item, and a new hostname or auth type forgets the old upstream's state.
 * Credentials are sealed here, so nothing downstream ever holds them in plaintext.
 */
final class ServerChanges {
  private final SecretCipher cipher;
  private final Clock clock;

  ServerChanges(SecretCipher cipher, Clock clock) {
    this.cipher = cipher;
    this.clock = clock;
  }

  McpServer create(String accountId, ServerFields fields, String actor) {
    Instant now = now();
    McpServer.Builder server = McpServer.builder()
        .accountId(accountId)
        .id(fields.id())
        .name(fields.name())
        .hostname(fields.hostname())
        .authType(fields.authType())
        .description(fields.description() == null ? null : fields.description().orElse(null))
        .updatedTools(fields.updatedTools())
        .updatedPrompts(fields.updatedPrompts())
        .sharedOauthCallbackEnabled(Boolean.TRUE.equals(fields.sharedOauthCallbackEnabled()))
        .holdChangedTools(!Boolean.FALSE.equals(fields.holdChangedTools()))
        .oauthOnBehalf(Boolean.TRUE.equals(fields.oauthOnBehalf()))
        .status(ServerStatus.WAITING)
        .createdAt(now)
        .createdBy(actor)
        .modifiedAt(now)
        .modifiedBy(actor);
    return finish(server, accountId, fields.id(), fields);
  }

  McpServer update(McpServer current, ServerFields fields, String actor) {
    McpServer.Builder server = current.toBuilder().modifiedAt(now()).modifiedBy(actor);
    if (fields.name() != null) server.name(fields.name());
    if (fields.description() != null) server.description(fields.description().orElse(null));
    if (fields.updatedTools() != null) server.updatedTools(fields.updatedTools());
    if (fields.updatedPrompts() != null) server.updatedPrompts(fields.updatedPrompts());
    if (fields.sharedOauthCallbackEnabled() != null) server.sharedOauthCallbackEnabled(fields.sharedOauthCallbackEnabled());
    if (fields.holdChangedTools() != null) server.holdChangedTools(fields.holdChangedTools());
    if (fields.oauthOnBehalf() != null) server.oauthOnBehalf(fields.oauthOnBehalf());
    if (fields.acceptToolChanges() != null) server.acceptedToolHashes(ToolFingerprint.accept(current, fields.acceptToolChanges()));
    // an accepted change (or holding turned off) releases the tool: its old definition is no longer kept
    server.heldToolsAccepted(ToolFingerprint.stillHeld(server.build()));
    boolean newHost = fields.hostname() != null && !fields.hostname().equals(current.hostname());
    boolean newAuth = fields.authType() != null && fields.authType() != current.authType();
    if (newHost || newAuth) {
      // Tools, sync state and any upstream tokens described another upstream (or another way in).
      // Stored credentials were meant for the old upstream: they must never be sent to a new host,
      // so a bearer server that moves needs its credentials again in the same request.
      server.resetSyncState().credentials(null);
      if (fields.hostname() != null) server.hostname(fields.hostname());
      if (fields.authType() != null) server.authType(fields.authType());
    }
    return finish(server, current.accountId(), current.id(), fields);
  }

  private McpServer finish(McpServer.Builder builder, String accountId, String id, ServerFields fields) {
    McpServer draft = builder.build();
    List<ApiError> errors = new ArrayList<>();
    if (fields.credentials() != null) {
      if (fields.credentials().isEmpty()) {
        builder.credentials(null);
        if (draft.authType() == AuthType.OAUTH && draft.credentials() != null) builder.oauth(null); // the pre-registered client is gone: so is its connection
      } else if (draft.authType() == AuthType.UNAUTHENTICATED) {
        errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/auth_credentials",
            "applies only to auth_type bearer or oauth (this server is " + draft.authType().wire() + ")"));
      } else if ((draft.authType() == AuthType.OAUTH ? dev.mcpgateway.upstream.oauth.OAuthClientConfig.problem(fields.credentials().get())
          : CredentialsFormat.problem(fields.credentials().get())).map(p -> errors.add(ApiError.field(ErrorCode.INVALID_FORMAT,
              "/auth_credentials", p))).orElse(false)) {
        // the shape for this server's auth type is wrong (reported above)
      } else {
        builder.credentials(cipher.seal(fields.credentials().get(), SealedContexts.credentials(accountId, id)));
        // another OAuth client configuration: the connection made with the old one is forgotten (and revoked)
        if (draft.authType() == AuthType.OAUTH) builder.oauth(null);
      }
    }
    if (draft.authType() != AuthType.OAUTH) {
      if (Boolean.TRUE.equals(fields.oauthOnBehalf())) {
        errors.add(ApiError.field(ErrorCode.INVALID_VALUE, "/oauth_on_behalf", "applies only to auth_type oauth"));
      }
      builder.oauthOnBehalf(false); // a server that leaves oauth leaves per-user tokens behind too
    }
    McpServer server = builder.build();
    if (server.authType() == AuthType.BEARER && server.credentials() == null) {
      errors.add(ApiError.field(ErrorCode.MISSING_FIELD, "/auth_credentials", "is required when auth_type is bearer"));
    }
    checkAliases(server.updatedTools(), server.tools(), "/updated_tools", errors);
    checkAliases(server.updatedPrompts(), server.prompts(), "/updated_prompts", errors);
    if (!errors.isEmpty()) throw new ApiException(errors);
    return server;
  }

  /** Aliases are unique across the server's names: an alias may not be the upstream name of another synced item. */
  private static void checkAliases(List<CapabilityOverride> overrides, JsonArray synced, String pointer, List<ApiError> errors) {
    ExposedView.aliasConflicts(overrides, synced).forEach(c -> errors.add(ApiError.field(ErrorCode.NAME_CONFLICT,
        pointer + "/" + c.index() + "/alias", "'" + c.name() + "' is the name of another item of this server")));
  }


  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
