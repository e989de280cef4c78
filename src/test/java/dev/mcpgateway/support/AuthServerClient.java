package dev.mcpgateway.support;

import static dev.mcpgateway.support.Await.result;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MCP client and its user's browser against the gateway's built-in authorization server, step
 * by step over real HTTP: registration, {@code /authorize}, the local login form, the consent form
 * (a cookie-keeping session, as a browser), the token and revocation endpoints. Redirects are not
 * followed: each step's answer is the test's to look at.
 */
public final class AuthServerClient {
  private static final Pattern TICKET = Pattern.compile("name=\"ticket\" value=\"([^\"]+)\"");

  public final WebClient web;
  public final WebClientSession browser;
  public final String base;

  public AuthServerClient(Vertx vertx, String base) {
    URI uri = URI.create(base);
    this.base = base;
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()).setFollowRedirects(false));
    this.browser = WebClientSession.create(web);
  }

  public HttpResponse<Buffer> register(JsonObject metadata) {
    return result(web.post("/register").sendJsonObject(metadata));
  }

  /** A public client for {@code redirectUri} with the refresh_token grant; answers its client_id. */
  public String registerPublic(String redirectUri) {
    HttpResponse<Buffer> registered = register(new JsonObject().put("client_name", "Test agent").put("token_endpoint_auth_method", "none")
        .put("redirect_uris", new io.vertx.core.json.JsonArray().add(redirectUri))
        .put("grant_types", new io.vertx.core.json.JsonArray().add("authorization_code").add("refresh_token")));
    if (registered.statusCode() != 201) throw new AssertionError(registered.bodyAsString());
    return registered.bodyAsJsonObject().getString("client_id");
  }

  public static String verifier() {
    return "verifier-" + "x".repeat(40) + System.nanoTime();
  }

  public static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The usual authorization request's parameters, S256 included. */
  public static Map<String, String> authorization(String clientId, String redirectUri, String resource, String verifier) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("response_type", "code");
    p.put("client_id", clientId);
    p.put("redirect_uri", redirectUri);
    p.put("code_challenge", challenge(verifier));
    p.put("code_challenge_method", "S256");
    p.put("resource", resource);
    p.put("state", "st-" + System.nanoTime());
    return p;
  }

  public HttpResponse<Buffer> authorize(Map<String, String> parameters) {
    StringBuilder query = new StringBuilder();
    parameters.forEach((k, v) -> query.append(query.isEmpty() ? "?" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return result(browser.get("/authorize" + query).followRedirects(false).send());
  }

  public HttpResponse<Buffer> login(String ticket, String user, String password) {
    return postForm("/authorize/login", MultiMap.caseInsensitiveMultiMap().add("ticket", ticket).add("username", user).add("password", password));
  }

  public HttpResponse<Buffer> consent(String ticket, String decision) {
    return postForm("/authorize/consent", MultiMap.caseInsensitiveMultiMap().add("ticket", ticket).add("decision", decision));
  }

  private HttpResponse<Buffer> postForm(String path, MultiMap form) {
    HttpRequest<Buffer> request = browser.post(path).followRedirects(false);
    return result(request.sendForm(form));
  }

  /** The sealed ticket a page's form carries. */
  public static String ticket(HttpResponse<Buffer> page) {
    Matcher m = TICKET.matcher(page.bodyAsString());
    if (!m.find()) throw new AssertionError("no ticket in " + page.statusCode() + " " + page.bodyAsString());
    return m.group(1);
  }

  /** The query parameters of a redirect's Location. */
  public static Map<String, String> redirectQuery(HttpResponse<Buffer> redirect) {
    String location = redirect.getHeader("Location");
    if (location == null) throw new AssertionError("no redirect: " + redirect.statusCode() + " " + redirect.bodyAsString());
    Map<String, String> query = new LinkedHashMap<>();
    String raw = URI.create(location).getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return query;
  }

  /** A local user's whole sign-in, approved: answers the authorization code. */
  public String code(String clientId, String redirectUri, String resource, String verifier, String user, String password) {
    HttpResponse<Buffer> loginPage = authorize(authorization(clientId, redirectUri, resource, verifier));
    HttpResponse<Buffer> consentPage = login(ticket(loginPage), user, password);
    HttpResponse<Buffer> approved = consent(ticket(consentPage), "approve");
    String code = redirectQuery(approved).get("code");
    if (code == null) throw new AssertionError("no code: " + approved.getHeader("Location"));
    return code;
  }

  public HttpResponse<Buffer> token(MultiMap form) {
    return result(web.post("/token").sendForm(form));
  }

  public HttpResponse<Buffer> token(MultiMap form, String basicUser, String basicSecret) {
    return result(web.post("/token").basicAuthentication(basicUser, basicSecret).sendForm(form));
  }

  public static MultiMap codeGrant(String clientId, String code, String redirectUri, String verifier) {
    return MultiMap.caseInsensitiveMultiMap().add("grant_type", "authorization_code").add("client_id", clientId).add("code", code)
        .add("redirect_uri", redirectUri).add("code_verifier", verifier);
  }

  public static MultiMap refreshGrant(String clientId, String refreshToken) {
    return MultiMap.caseInsensitiveMultiMap().add("grant_type", "refresh_token").add("client_id", clientId).add("refresh_token", refreshToken);
  }

  public HttpResponse<Buffer> revoke(String clientId, String token) {
    return result(web.post("/revoke").sendForm(MultiMap.caseInsensitiveMultiMap().add("client_id", clientId).add("token", token)));
  }

  /** An MCP initialize with {@code token} at {@code path}. */
  public HttpResponse<Buffer> initialize(String path, String token) {
    return result(web.post(path).putHeader("Authorization", "Bearer " + token).putHeader("Accept", "application/json, text/event-stream")
        .sendJsonObject(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize").put("params", new JsonObject()
            .put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", "t").put("version", "1")))));
  }

  public static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  public static JsonObject header(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8));
  }
}
