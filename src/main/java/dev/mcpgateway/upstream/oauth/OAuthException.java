package dev.mcpgateway.upstream.oauth;

import java.net.URI;

/**
 * A failure of discovery, registration, authorization or token exchange, worded for the admin.
 * Messages name endpoints by scheme, host and path only (never a query, which may carry a code
 * or a token) and never include a token, a secret or a verifier.
 */
public final class OAuthException extends RuntimeException {
  /** Whose fault: the admin's request, the callback's content, or the upstream's authorization server. */
  public enum Kind { NOT_APPLICABLE, INVALID_CALLBACK, UPSTREAM }

  private final boolean retryable;
  private final Kind kind;
  private final String authorizationUrl;

  public OAuthException(String message) {
    this(message, true);
  }

  public OAuthException(String message, boolean retryable) {
    this(message, retryable, Kind.UPSTREAM);
  }

  private OAuthException(String message, boolean retryable, Kind kind) {
    this(message, retryable, kind, null);
  }

  private OAuthException(String message, boolean retryable, Kind kind, String authorizationUrl) {
    super(message, null, false, false);
    this.retryable = retryable;
    this.kind = kind;
    this.authorizationUrl = authorizationUrl;
  }

  /** A user of an on-behalf server has no working token: they must authorize at {@code url} (a gateway URL). */
  static OAuthException userMustAuthorize(String why, String url) {
    return new OAuthException(why + ": authorize the gateway at " + url, false, Kind.UPSTREAM, url);
  }

  /** Where the user must go to authorize, when that is what is missing; else null. */
  public String authorizationUrl() {
    return authorizationUrl;
  }

  static OAuthException notApplicable(String message) {
    return new OAuthException(message, false, Kind.NOT_APPLICABLE);
  }

  static OAuthException invalidCallback(String message) {
    return new OAuthException(message, false, Kind.INVALID_CALLBACK);
  }

  public Kind kind() {
    return kind;
  }

  public boolean retryable() {
    return retryable;
  }

  /** A URL as it may appear in a message: scheme, host, port and path. */
  static String shown(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null) return "(invalid URL)";
      return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (RuntimeException e) {
      return "(invalid URL)";
    }
  }
}
