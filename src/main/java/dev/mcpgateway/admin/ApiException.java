package dev.mcpgateway.admin;

import java.util.List;

/**
 * A request the management API refuses, with one error per problem. The HTTP status is that of the
 * first error (all errors of one request share a status in practice: validation is all 400).
 */
public final class ApiException extends RuntimeException {
  private final List<ApiError> errors;

  public ApiException(List<ApiError> errors) {
    super(errors.get(0).message(), null, false, false);
    this.errors = List.copyOf(errors);
  }

  public ApiException(ApiError error) {
    this(List.of(error));
  }

  public ApiException(ErrorCode code) {
    this(ApiError.of(code));
  }

  public List<ApiError> errors() {
    return errors;
  }

  public int status() {
    return errors.get(0).code().status();
  }
}
