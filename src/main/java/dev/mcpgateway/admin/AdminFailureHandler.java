package dev.mcpgateway.admin;

import dev.mcpgateway.RequestUri;
import dev.mcpgateway.store.DuplicatePortalException;
import dev.mcpgateway.store.DuplicateServerException;
import dev.mcpgateway.store.PortalHostnameTakenException;
import dev.mcpgateway.store.PortalMemberMissingException;
import dev.mcpgateway.store.PolicyNotFoundException;
import dev.mcpgateway.store.PortalNotFoundException;
import dev.mcpgateway.store.ServerInUseException;
import dev.mcpgateway.store.ServerNotFoundException;
import dev.mcpgateway.store.ServiceTokenNotFoundException;
import dev.mcpgateway.store.StoreUnavailableException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Optional;

/**
 * The one failure handler: every error of the management API, ours or Vert.x's (413 from the body
 * handler, 503 from the timeout handler, 404/405 from the router), leaves as the Cloudflare
 * envelope with a stable code. Unexpected exceptions are logged once, here, and answered 500
 * without detail.
 */
public final class AdminFailureHandler implements Handler<RoutingContext> {
  private static final System.Logger LOG = System.getLogger(AdminFailureHandler.class.getName());

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended() || ctx.response().closed()) return; // the client left: nobody to answer
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    List<ApiError> errors = malformedUri(ctx.request().uri()).orElseGet(() -> errors(ctx.failure(), ctx.statusCode()));
    if (errors.get(0).code() == ErrorCode.INTERNAL) {
      LOG.log(System.Logger.Level.ERROR, "unhandled failure on " + ctx.request().method() + " " + ctx.request().path(),
          ctx.failure());
    }
    Envelope.send(ctx, errors.get(0).code().status(), Envelope.failure(errors));
  }

  /** A path or query the router could not decode is the client's error: 400, naming the part. */
  static Optional<List<ApiError>> malformedUri(String uri) {
    return RequestUri.malformed(uri).map(part -> List.of(part == RequestUri.Part.PATH
        ? new ApiError(ErrorCode.INVALID_JSON, "malformed request: the path is not valid percent-encoding", null)
        : new ApiError(ErrorCode.INVALID_QUERY_PARAMETER, "the query string is not valid percent-encoding", null)));
  }

  static List<ApiError> errors(Throwable failure, int statusCode) {
    if (failure instanceof ApiException api) return api.errors();
    if (failure instanceof ServerNotFoundException e) return List.of(new ApiError(ErrorCode.SERVER_NOT_FOUND, e.getMessage(), null));
    if (failure instanceof DuplicateServerException e) return List.of(new ApiError(ErrorCode.DUPLICATE_SERVER, e.getMessage(), null));
    if (failure instanceof ServerInUseException e) return List.of(new ApiError(ErrorCode.SERVER_IN_USE, e.getMessage(), null));
    if (failure instanceof PortalNotFoundException e) return List.of(new ApiError(ErrorCode.PORTAL_NOT_FOUND, e.getMessage(), null));
    if (failure instanceof DuplicatePortalException e) return List.of(new ApiError(ErrorCode.DUPLICATE_PORTAL, e.getMessage(), null));
    if (failure instanceof PortalHostnameTakenException e) {
      // "hostname 'h' is already used ...": the field name leads the message once, as for every field error
      return List.of(ApiError.field(ErrorCode.HOSTNAME_TAKEN, "/hostname", e.getMessage().replaceFirst("^hostname ", "")));
    }
    if (failure instanceof PortalMemberMissingException e) return List.of(PortalMembers.missing(e.index(), e.serverId()));
    if (failure instanceof ServiceTokenNotFoundException e) return List.of(new ApiError(ErrorCode.SERVICE_TOKEN_NOT_FOUND, e.getMessage(), null));
    if (failure instanceof PolicyNotFoundException e) return List.of(new ApiError(ErrorCode.POLICY_NOT_FOUND, e.getMessage(), null));
    if (failure instanceof StoreUnavailableException) return List.of(ApiError.of(ErrorCode.STORE_UNAVAILABLE));
    int status = failure instanceof HttpException http ? http.getStatusCode() : statusCode;
    if (status == 400) return List.of(new ApiError(ErrorCode.INVALID_JSON, "malformed request", null));
    ErrorCode code = switch (status) {
      case 400 -> ErrorCode.INVALID_JSON;
      case 401 -> ErrorCode.UNAUTHENTICATED;
      case 403 -> ErrorCode.FORBIDDEN;
      case 404 -> ErrorCode.NO_ROUTE;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCode.BODY_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 429 -> ErrorCode.TOO_MANY_REQUESTS;
      case 503 -> ErrorCode.TIMEOUT;
      default -> ErrorCode.INTERNAL;
    };
    return List.of(ApiError.of(code));
  }
}
