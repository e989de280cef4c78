package dev.mcpgateway.authserver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.upstream.oauth.OAuthHttp;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Clients that need no registration (OAuth Client ID Metadata Documents, as the MCP authorization
 * specification uses them): the {@code client_id} is an https URL with a path, and the JSON document
 * there names the client — its {@code client_id} that very URL, its {@code redirect_uris} (each
 * allowed by the same {@link RedirectUris} rules as a registration), {@code client_name},
 * {@code grant_types}, and {@code token_endpoint_auth_method} {@code none} (the only method such a
 * client can use here). Fetched through the outbound guard (no redirects, bounded), kept for
 * {@link #TTL}; a document that is missing or wrong makes the client unknown (the reason logged once
 * per fetch), as an unregistered one is. Never stored.
 */
final class ClientMetadataDocuments {
  private static final System.Logger LOG = System.getLogger(ClientMetadataDocuments.class.getName());
  static final Duration TTL = Duration.ofMinutes(5);
  /** An address written as a host name: its last label numeric, or 0x hex (how IPv4 literals in all their forms end). */
  private static final java.util.regex.Pattern NUMERIC_LAST_LABEL = java.util.regex.Pattern.compile("(?i)(^|\\.)([0-9]+|0x[0-9a-f]*)\\.?$");
  private static final int MAX_DOCUMENT_BYTES = 16 * 1024;
  private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");

  private final Function<String, Future<OAuthHttp.Response>> fetch;
  private final RedirectUris redirectUris;
  private final Clock clock;
  private final Cache<String, Future<Optional<SignInClient>>> documents;

  /** {@code fetch}: a GET of a document's URL (the gateway's guarded HTTP client). */
  ClientMetadataDocuments(Function<String, Future<OAuthHttp.Response>> fetch, RedirectUris redirectUris, Clock clock) {
    this.fetch = fetch;
    this.redirectUris = redirectUris;
    this.clock = clock;
    this.documents = Caffeine.newBuilder().maximumSize(1000).expireAfterWrite(TTL)
        .ticker(() -> clock.millis() * 1_000_000L).build();
  }

  /** Whether {@code clientId} has the form of a metadata document's URL. */
  static boolean isDocumentUrl(String clientId) {
    if (!clientId.startsWith("https://")) return false;
    try {
      URI uri = new URI(clientId);
      String path = uri.getRawPath();
      // a DNS name on the default port: no IP literal, no port of an internal service (the fetch refuses private addresses too)
      String host = uri.getHost();
      return host != null && !host.startsWith("[") && !NUMERIC_LAST_LABEL.matcher(host).find()
          && (uri.getPort() == -1 || uri.getPort() == 443)
          && uri.getRawUserInfo() == null && uri.getRawFragment() == null && path != null && path.length() > 1
          && !path.contains("/./") && !path.contains("/../") && !path.endsWith("/.") && !path.endsWith("/..");
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  Future<Optional<SignInClient>> find(String url) {
    Future<Optional<SignInClient>> found = documents.get(url, this::read);
    // a fetch that failed (the network, not the document) is tried again next time
    found.onFailure(e -> documents.asMap().remove(url, found));
    return found;
  }

  private Future<Optional<SignInClient>> read(String url) {
    return fetch.apply(url).map(response -> {
      String refusal = null;
      JsonObject document = response.status() == 200 && response.body().length() <= MAX_DOCUMENT_BYTES ? response.json() : null;
      SignInClient client = null;
      if (document == null) refusal = "answered HTTP " + response.status() + " without a JSON document";
      else if (!url.equals(document.getValue("client_id"))) refusal = "names another client_id";
      else {
        try {
          client = client(url, document);
        } catch (IllegalArgumentException wrong) {
          refusal = wrong.getMessage();
        }
      }
      // INFO, not WARNING: anyone can name a URL as client_id, and a refused client is their problem, not the operator's
      if (refusal != null) LOG.log(System.Logger.Level.INFO, "sign-in: the client metadata document at " + url + " " + refusal + ": client refused");
      return Optional.ofNullable(client);
    });
  }

  private SignInClient client(String url, JsonObject document) {
    List<String> uris = strings(document.getValue("redirect_uris"), "redirect_uris");
    if (uris.isEmpty()) throw new IllegalArgumentException("has no redirect_uris");
    for (String uri : uris) {
      String refusal = redirectUris.refusal(uri);
      if (refusal != null) throw new IllegalArgumentException("has a " + refusal);
    }
    Object method = document.getValue("token_endpoint_auth_method");
    if (method != null && !SignInClient.PUBLIC.equals(method)) throw new IllegalArgumentException("asks for token_endpoint_auth_method " + method);
    List<String> grants = document.getValue("grant_types") == null ? List.of("authorization_code") : strings(document.getValue("grant_types"), "grant_types");
    if (!GRANT_TYPES.containsAll(grants)) throw new IllegalArgumentException("asks for grant_types other than authorization_code and refresh_token");
    String name = document.getValue("client_name") instanceof String text && text.length() <= 200 ? text : null;
    return new SignInClient(url, null, SignInClient.PUBLIC, uris, name, grants, clock.instant());
  }

  private static List<String> strings(Object value, String key) {
    if (!(value instanceof JsonArray array)) throw new IllegalArgumentException("has no " + key + " array");
    List<String> items = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text)) throw new IllegalArgumentException("has a " + key + " entry that is not a string");
      items.add(text);
    }
    return items;
  }
}
