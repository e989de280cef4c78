package dev.mcpgateway.admin;

import dev.mcpgateway.model.CodeMode;
import dev.mcpgateway.model.PortalServer;
import java.util.List;
import java.util.Optional;

/**
 * The writable fields of a portal create or update body after per-field validation. A null
 * component was absent from the body (on update: leave unchanged); {@code description} is
 * {@code Optional.empty()} for an explicit JSON null (clear it). {@code hostname} is lower-cased.
 * {@code servers}, when sent, is the whole new mapping set, in the body's order; while the body
 * has problems ({@link PortalRequestParser.Parsed#errors}), an item that had one is null there,
 * so the others can still be checked against the store at their own index.
 */
record PortalFields(
    String id,
    String name,
    String hostname,
    Optional<String> description,
    CodeMode codeMode,
    Boolean allowCodeMode,
    Boolean secureWebGateway,
    List<PortalServer> servers) {}
