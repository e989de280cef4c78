package dev.mcpgateway.console;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The admin console: plain HTML, ES modules and CSS packed in the jar under {@code console/},
 * served by Vert.x's {@link StaticHandler}. It is a client of the public management API only (with
 * the API token the administrator types in), so it needs no route of its own beyond its files.
 *
 * <p>Caching: every file is {@code Cache-Control: no-cache} and revalidated by {@code Last-Modified}
 * (the static handler answers 304), because the modules import each other by plain names — a
 * hashed-name scheme would need a build step — and a new gateway version must never run a stale
 * module against a changed API. The files are small; a revalidation costs one round trip.
 *
 * <p>Every answer carries a strict Content-Security-Policy (no inline script or style, nothing but
 * this origin, never framed), {@code X-Content-Type-Options: nosniff} and no referrer.
 */
public final class ConsoleRoutes {
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  /** Where the files are, on the classpath. */
  static final String WEB_ROOT = "console";

  private ConsoleRoutes() {}

  /** {@code path}: e.g. {@code /console} (no trailing slash); {@code path} alone redirects to {@code path/}, so relative module URLs resolve. */
  public static void mount(Router router, String path) {
    router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      // Vert.x matches "path/" here too: only the bare path is redirected
      if (!ctx.request().path().equals(path)) {
        ctx.next();
        return;
      }
      secure(ctx);
      ctx.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, path + "/").end();
    });
    StaticHandler files = StaticHandler.create(WEB_ROOT)
        .setCachingEnabled(true)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setIndexPage("index.html")
        .setDefaultContentEncoding("UTF-8");
    router.route(path + "/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      secure(ctx);
      // set before the static handler, which adds its own Cache-Control only when none is set
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      ctx.next();
    }).handler(files);
  }

  private static void secure(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
  }
}
