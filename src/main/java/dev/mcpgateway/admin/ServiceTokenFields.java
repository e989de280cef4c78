package dev.mcpgateway.admin;

import java.time.Instant;
import java.util.List;

/**
 * The writable fields of a service token body after per-field validation; a null component was
 * absent (on update: leave it). {@code servers}, when sent, is the whole new list (empty: every
 * server of the account); while the body has problems, an item that had one is null there, so the
 * others can still be checked against the store at their own index.
 */
record ServiceTokenFields(
    String name,
    String duration,
    List<String> servers,
    Integer clientSecretVersion,
    Instant previousSecretExpiresAt) {}
