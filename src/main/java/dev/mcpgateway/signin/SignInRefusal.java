package dev.mcpgateway.signin;

/**
 * Why an agent's credentials were not accepted, as RFC 6750 says to answer: {@code status} 401
 * with {@code error="invalid_token"} (or no error when none were sent), 403 with
 * {@code insufficient_scope} and the {@code scope} needed (step-up), 503 when the authorization
 * server's keys cannot be had. The description is the gateway's own words: never the token, never
 * a library's message.
 */
public final class SignInRefusal extends RuntimeException {
  public static final String INVALID_TOKEN = "invalid_token";
  public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

  private final int status;
  private final String error;
  private final String scope;

  public SignInRefusal(int status, String error, String description, String scope) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
    this.scope = scope;
  }

  static SignInRefusal invalidToken(String description) {
    return new SignInRefusal(401, INVALID_TOKEN, description, null);
  }

  public int status() {
    return status;
  }

  /** The RFC 6750 error code; null for a request that carried no credentials. */
  public String error() {
    return error;
  }

  /** The scopes a 403 asks for; null otherwise. */
  public String scope() {
    return scope;
  }
}
