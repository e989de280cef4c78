package dev.mcpgateway.authserver;

import static dev.mcpgateway.support.Await.failure;
import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.support.MovableClock;
import dev.mcpgateway.upstream.oauth.OAuthHttp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Clients known by their metadata document's URL: a good document is a public client with its
 * redirect URIs; a document that names another client, a redirect URI the gateway does not allow, a
 * secret-based method or nothing at all is no client; documents are kept for a while, failed fetches
 * are not.
 */
class ClientMetadataDocumentsTest {
  static final String URL = "https://client.example/oauth/metadata.json";
  final MovableClock clock = new MovableClock();
  final AtomicInteger fetches = new AtomicInteger();

  ClientMetadataDocuments documents(int status, JsonObject document) {
    return documents(url -> Future.succeededFuture(new OAuthHttp.Response(status, MultiMap.caseInsensitiveMultiMap(),
        document == null ? Buffer.buffer("not json") : document.toBuffer())));
  }

  ClientMetadataDocuments documents(Function<String, Future<OAuthHttp.Response>> fetch) {
    return new ClientMetadataDocuments(url -> {
      fetches.incrementAndGet();
      return fetch.apply(url);
    }, new RedirectUris(List.of("https://client.example/callback")), clock);
  }

  static JsonObject document() {
    return new JsonObject().put("client_id", URL).put("client_name", "Example client")
        .put("redirect_uris", new JsonArray().add("https://client.example/callback").add("http://127.0.0.1/callback"))
        .put("grant_types", new JsonArray().add("authorization_code").add("refresh_token")).put("token_endpoint_auth_method", "none");
  }

  @Test
  void aGoodDocumentIsAPublicClientKeptForAWhile() {
    ClientMetadataDocuments documents = documents(200, document());
    SignInClient client = result(documents.find(URL)).orElseThrow();
    assertEquals(URL, client.id());
    assertTrue(client.isPublic() && client.mayRefresh());
    assertEquals(List.of("https://client.example/callback", "http://127.0.0.1/callback"), client.redirectUris());
    assertEquals("Example client", client.name());
    result(documents.find(URL));
    assertEquals(1, fetches.get(), "kept");
    clock.advance(ClientMetadataDocuments.TTL.plusSeconds(1));
    result(documents.find(URL));
    assertEquals(2, fetches.get(), "fetched again after the TTL");
  }

  @Test
  void wrongDocumentsAreNoClient() {
    assertEquals(Optional.empty(), result(documents(200, document().put("client_id", "https://other.example/metadata.json")).find(URL)));
    assertEquals(Optional.empty(), result(documents(200, document().put("redirect_uris", new JsonArray().add("https://evil.example/cb"))).find(URL)));
    assertEquals(Optional.empty(), result(documents(200, document().put("token_endpoint_auth_method", "client_secret_basic")).find(URL)));
    assertEquals(Optional.empty(), result(documents(200, document().put("grant_types", new JsonArray().add("implicit"))).find(URL)));
    assertEquals(Optional.empty(), result(documents(200, document().put("redirect_uris", new JsonArray())).find(URL)));
    assertEquals(Optional.empty(), result(documents(404, document()).find(URL)));
    assertEquals(Optional.empty(), result(documents(200, null).find(URL)));
  }

  @Test
  void aFailedFetchIsTriedAgain() {
    ClientMetadataDocuments documents = documents(url -> Future.failedFuture(new IllegalStateException("connection refused")));
    failure(documents.find(URL));
    failure(documents.find(URL));
    assertEquals(2, fetches.get());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "https://client.example/metadata.json, true",
      "https://client.example/, false",
      "https://client.example, false",
      "http://client.example/metadata.json, false",
      "https://user@client.example/metadata.json, false",
      "https://client.example/a/../metadata.json, false",
      "https://client.example/metadata.json#x, false",
      "a-registered-client-id, false",
      "https://client.example:443/metadata.json, true",
      "https://bad.cafe/metadata.json, true",
      "https://client.example:8443/metadata.json, false",
      "https://10.0.0.5/metadata.json, false",
      "https://127.1/metadata.json, false",
      "https://0x7f000001/metadata.json, false",
      "https://[::1]/metadata.json, false",
      "https://2130706433/metadata.json, false",
  })
  void onlyHttpsUrlsWithAPathAreDocumentUrls(String clientId, boolean document) {
    assertEquals(document, ClientMetadataDocuments.isDocumentUrl(clientId));
  }
}
