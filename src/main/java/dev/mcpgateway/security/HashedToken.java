package dev.mcpgateway.security;

/** A bearer token known only by its SHA-256 and a name (the identity recorded for its actions). */
public interface HashedToken {
  String name();

  byte[] sha256();
}
