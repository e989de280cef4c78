package dev.mcpgateway.authserver;

import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.http.BoundedBody;
import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.upstream.oauth.Pkce;
import dev.mcpgateway.security.RateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code POST /register}: open dynamic client registration (RFC 7591), which MCP clients use to
 * introduce themselves. Redirect URIs must be allowed ({@link RedirectUris}: loopback, or
 * {@code sign_in.redirect_uris}) — else {@code invalid_redirect_uri}; other metadata the server
 * cannot honour is {@code invalid_client_metadata}. A public client ({@code none}) gets an id; a
 * confidential one ({@code client_secret_basic}, the RFC's default, or {@code client_secret_post})
 * also a secret, shown in this answer only and kept as its SHA-256. Answers 201 with the client's
 * metadata as registered.
 */
final class RegistrationEndpoint implements Handler<RoutingContext> {
  static final Set<String> AUTH_METHODS = Set.of("none", "client_secret_post", "client_secret_basic");
  private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");
  private static final int MAX_BODY_BYTES = 16 * 1024;
  private static final int MAX_REDIRECT_URIS = 20;
  private static final int MAX_NAME_CHARS = 200;

  private final dev.mcpgateway.store.SignInStore store;
  private final RedirectUris redirectUris;
  private final Clock clock;
  private final BiConsumer<String, String> events;

  /** Registrations per remote address: {@link #REGISTRATIONS_PER_MINUTE}, in bursts of as many. */
  static final int REGISTRATIONS_PER_MINUTE = 60;
  private final long maxClients;
  private final RateLimiter perAddress = new RateLimiter(REGISTRATIONS_PER_MINUTE / 60.0, REGISTRATIONS_PER_MINUTE, System::nanoTime);

  /** {@code maxClients}: registrations stop there (a bound on what open registration can fill the store with). */
  RegistrationEndpoint(dev.mcpgateway.store.SignInStore store, RedirectUris redirectUris, Clock clock, long maxClients,
      BiConsumer<String, String> events) {
    this.maxClients = maxClients;
    this.store = store;
    this.redirectUris = redirectUris;
    this.clock = clock;
    this.events = events;
  }

  @Override
  public void handle(RoutingContext ctx) {
    // registration is open to anyone: each address gets a few a minute, so that nobody fills the store with clients
    String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().host();
    java.util.Optional<java.time.Duration> wait = perAddress.tryAcquire(address);
    if (wait.isPresent()) {
      events.accept("register", "rate_limited");
      ctx.response().putHeader("Retry-After", Long.toString(RateLimiter.retryAfterSeconds(wait.get())));
      OAuthReplies.json(ctx, 429, new JsonObject().put("error", "invalid_client_metadata")
          .put("error_description", "too many registrations from this address; retry later"));
      return;
    }
    BoundedBody.read(ctx.request(), MAX_BODY_BYTES).compose(body -> {
      JsonObject metadata;
      try {
        metadata = body.toJsonObject();
      } catch (RuntimeException e) {
        return Future.failedFuture(metadataError("the body is not a JSON object"));
      }
      return register(metadata);
    }).onSuccess(answer -> {
      events.accept("register", "ok");
      OAuthReplies.json(ctx, 201, answer);
    }).onFailure(e -> {
      // RFC 7591 §3.2.2 names no invalid_request: a registration too large is bad metadata
      OAuthReplies.Failure failure = e instanceof BoundedBody.TooLarge ? metadataError("the registration is too large")
          : OAuthReplies.failure(e, null);
      events.accept("register", failure.error);
      OAuthReplies.error(ctx, failure);
    });
  }

  private Future<JsonObject> register(JsonObject metadata) {
    List<String> uris = strings(metadata, "redirect_uris");
    if (uris == null || uris.isEmpty()) return Future.failedFuture(new OAuthReplies.Failure(400, "invalid_redirect_uri", "redirect_uris is required"));
    if (uris.size() > MAX_REDIRECT_URIS) return Future.failedFuture(new OAuthReplies.Failure(400, "invalid_redirect_uri", "too many redirect_uris"));
    for (String uri : uris) {
      String refusal = redirectUris.refusal(uri);
      if (refusal != null) return Future.failedFuture(new OAuthReplies.Failure(400, "invalid_redirect_uri", refusal));
    }
    String method = metadata.getValue("token_endpoint_auth_method") instanceof String m ? m : "client_secret_basic";
    if (!AUTH_METHODS.contains(method)) return Future.failedFuture(metadataError("token_endpoint_auth_method must be one of " + AUTH_METHODS));
    List<String> asked = strings(metadata, "grant_types");
    List<String> grants = asked == null ? List.of("authorization_code") : asked;
    if (!GRANT_TYPES.containsAll(grants) || !grants.contains("authorization_code")) {
      return Future.failedFuture(metadataError("grant_types may be authorization_code and refresh_token only"));
    }
    List<String> responses = strings(metadata, "response_types");
    if (responses != null && !List.of("code").equals(responses)) return Future.failedFuture(metadataError("response_types must be [\"code\"]"));
    Object name = metadata.getValue("client_name");
    if (name != null && !(name instanceof String text && text.length() <= MAX_NAME_CHARS)) {
      return Future.failedFuture(metadataError("client_name must be a string of at most " + MAX_NAME_CHARS + " characters"));
    }
    String secret = SignInClient.PUBLIC.equals(method) ? null : Pkce.random(32);
    SignInClient client = new SignInClient(Pkce.random(16), secret == null ? null : TokenHash.sha256Hex(secret), method, uris,
        (String) name, grants, clock.instant().truncatedTo(ChronoUnit.SECONDS));
    return store.clientCount().compose(count -> count >= maxClients
        ? Future.failedFuture(new OAuthReplies.Failure(503, "temporarily_unavailable", "this authorization server registers no more clients"))
        : store.addClient(client)).map(v -> {
      JsonObject answer = new JsonObject().put("client_id", client.id()).put("client_id_issued_at", client.createdAt().getEpochSecond());
      if (secret != null) answer.put("client_secret", secret).put("client_secret_expires_at", 0);
      answer.put("redirect_uris", new JsonArray(uris)).put("token_endpoint_auth_method", method).put("grant_types", new JsonArray(grants))
          .put("response_types", new JsonArray().add("code"));
      if (name != null) answer.put("client_name", name);
      return answer;
    });
  }

  /** An array of strings, null when absent; a wrong type is {@code invalid_client_metadata}. */
  private static List<String> strings(JsonObject metadata, String key) {
    Object value = metadata.getValue(key);
    if (value == null) return null;
    if (!(value instanceof JsonArray array)) throw metadataError(key + " must be an array of strings");
    List<String> items = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text)) throw metadataError(key + " must be an array of strings");
      items.add(text);
    }
    return items;
  }

  private static OAuthReplies.Failure metadataError(String description) {
    return new OAuthReplies.Failure(400, "invalid_client_metadata", description);
  }
}
