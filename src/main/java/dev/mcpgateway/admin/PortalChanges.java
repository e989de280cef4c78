package dev.mcpgateway.admin;

import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.Portal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Turns validated fields into a new portal or a changed one. Defaults on create: {@code code_mode}
 * {@code opt_in}, {@code secure_web_gateway} false, no servers. An update changes what the body
 * sends and leaves the rest; a sent {@code servers} replaces the whole mapping set.
 *
 * <p>The deprecated {@code allow_code_mode} (when {@code code_mode} is not sent; the parser has
 * refused the two disagreeing): {@code false} is {@code off}; {@code true} is {@code opt_in} on
 * create, and on update keeps a current policy that is not {@code off} (it already allows Code
 * Mode), else {@code opt_in}.
 */
final class PortalChanges {
  private final Clock clock;

  PortalChanges(Clock clock) {
    this.clock = clock;
  }

  Portal create(String accountId, PortalFields fields, String actor) {
    Instant now = now();
    CodeMode codeMode = codeMode(null, fields);
    return new Portal(accountId, fields.id(), fields.name(), fields.hostname(),
        fields.description() == null ? null : fields.description().orElse(null), codeMode,
        Boolean.TRUE.equals(fields.secureWebGateway()), fields.servers(), now, actor, now, actor);
  }

  Portal update(Portal current, PortalFields fields, String actor) {
    return new Portal(current.accountId(), current.id(),
        fields.name() != null ? fields.name() : current.name(),
        fields.hostname() != null ? fields.hostname() : current.hostname(),
        fields.description() != null ? fields.description().orElse(null) : current.description(),
        codeMode(current.codeMode(), fields),
        fields.secureWebGateway() != null ? fields.secureWebGateway() : current.secureWebGateway(),
        fields.servers() != null ? fields.servers() : current.servers(),
        current.createdAt(), current.createdBy(), now(), actor);
  }

  /** The policy after a create ({@code current} null) or an update. */
  static CodeMode codeMode(CodeMode current, PortalFields fields) {
    if (fields.codeMode() != null) return fields.codeMode();
    if (fields.allowCodeMode() == null) return current == null ? CodeMode.OPT_IN : current;
    if (!fields.allowCodeMode()) return CodeMode.OFF;
    return current != null && current.allowed() ? current : CodeMode.OPT_IN;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
