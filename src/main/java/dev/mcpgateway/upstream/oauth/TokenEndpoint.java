package dev.mcpgateway.upstream.oauth;

import dev.mcpgateway.tracing.TracedWork;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import dev.mcpgateway.model.OAuthConnection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token requests (RFC 6749 §4.1.3, §4.4, §6) with the client authentication the registration
 * chose ({@code none}, {@code client_secret_post}, {@code client_secret_basic}) and the RFC 8707
 * {@code resource} indicator on every request. An answer is read as JSON; {@code token_type} is
 * compared ignoring case; a missing {@code refresh_token} on refresh keeps the old one.
 */
final class TokenEndpoint {
  private final OAuthHttp http;
  private final Clock clock;
  private final java.util.function.BiConsumer<String, String> outcomes;

  /** {@code outcomes} hears (grant, ok | refused | unreachable) of every request: the metrics. */
  TokenEndpoint(OAuthHttp http, Clock clock, java.util.function.BiConsumer<String, String> outcomes) {
    this.http = http;
    this.clock = clock;
    this.outcomes = outcomes;
  }

  /** Tokens as received: the access token, maybe a refresh token, the expiry if the server gave one. */
  record Tokens(String accessToken, String refreshToken, Instant expiresAt) {
    String toJson() {
      return new JsonObject().put("access_token", accessToken).put("refresh_token", refreshToken).encode();
    }

    static Tokens fromJson(String json, Instant expiresAt) {
      JsonObject o = new JsonObject(json);
      return new Tokens(o.getString("access_token"), o.getString("refresh_token"), expiresAt);
    }

    @Override
    public String toString() {
      return "Tokens[redacted]";
    }
  }

  private static final AttributeKey<String> GRANT_TYPE = AttributeKey.stringKey("oauth.grant_type");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");

  private static String hostOf(String url) {
    try {
      return String.valueOf(java.net.URI.create(url).getHost());
    } catch (IllegalArgumentException e) {
      return "invalid";
    }
  }

  Future<Tokens> request(OAuthConnection connection, String clientSecret, Map<String, String> grant) {
    Map<String, String> form = new LinkedHashMap<>(grant);
    if (connection.resource() != null) form.put("resource", connection.resource());
    String method = connection.tokenEndpointAuthMethod();
    String basicUser = null;
    if ("client_secret_basic".equals(method) && clientSecret != null) {
      basicUser = connection.clientId();
    } else {
      form.put("client_id", connection.clientId());
      if ("client_secret_post".equals(method) && clientSecret != null) form.put("client_secret", clientSecret);
    }
    String grantType = grant.getOrDefault("grant_type", "other");
    String user = basicUser;
    return TracedWork.run(http.tracing(), Context.current(), "oauth token request", Attributes.of(GRANT_TYPE, grantType, SERVER_ADDRESS,
        hostOf(connection.tokenEndpoint())), () -> http.postForm(connection.tokenEndpoint(), form, user, user == null ? null : clientSecret)).compose(answer -> {
      JsonObject json = answer.json();
      if (answer.status() / 100 != 2) {
        String error = json == null ? null : json.getString("error");
        String code = error != null && error.matches("[a-z_]{1,64}") ? error : "HTTP " + answer.status();
        boolean retryable = answer.status() >= 500 || answer.status() == 429;
        return Future.failedFuture(new OAuthException("the authorization server refused the token request (" + code + ")", retryable));
      }
      if (json == null || !(json.getValue("access_token") instanceof String access) || access.isEmpty()) {
        return Future.failedFuture(new OAuthException("the authorization server's token answer has no access_token", false));
      }
      String type = json.getString("token_type", "Bearer");
      if (!type.equalsIgnoreCase("Bearer")) {
        return Future.failedFuture(new OAuthException("the authorization server issued a token of a type other than Bearer", false));
      }
      Object expiresIn = json.getValue("expires_in");
      // bounded: a huge expires_in must not overflow (a year is plenty: refresh ahead of it anyway)
      Instant expiresAt = expiresIn instanceof Number n && n.longValue() > 0 ? clock.instant().plusSeconds(Math.min(n.longValue(), 366L * 86_400)) : null;
      return Future.succeededFuture(new Tokens(access, json.getString("refresh_token"), expiresAt));
    }).onComplete(done -> outcomes.accept(grantType, done.succeeded() ? "ok"
        : done.cause() instanceof OAuthException e && !e.retryable() ? "refused" : "unreachable"));
  }
}
