package dev.mcpgateway.admin;

import dev.mcpgateway.model.AuthType;
import dev.mcpgateway.model.CapabilityOverride;
import java.util.List;
import java.util.Optional;

/**
 * The writable fields of a create or update body after per-field validation. A null component was
 * absent from the body (leave unchanged); for the nullable fields, {@code Optional.empty()} was an
 * explicit JSON null (clear it).
 */
record ServerFields(
    String id,
    String name,
    String hostname,
    AuthType authType,
    Optional<String> credentials,
    Optional<String> description,
    List<CapabilityOverride> updatedTools,
    List<CapabilityOverride> updatedPrompts,
    Boolean sharedOauthCallbackEnabled,
    Boolean holdChangedTools,
    List<String> acceptToolChanges,
    Boolean oauthOnBehalf) {}
