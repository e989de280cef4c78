package dev.mcpgateway.store;

/** The backing storage could not serve the request (database down, disk failure). */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
