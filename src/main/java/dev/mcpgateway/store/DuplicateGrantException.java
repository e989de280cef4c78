package dev.mcpgateway.store;

/** A grant id already taken: the one-time consent ticket it came from was used before. */
public final class DuplicateGrantException extends RuntimeException {
  public DuplicateGrantException(String grantId) {
    super("grant " + grantId + " exists", null, false, false);
  }
}
