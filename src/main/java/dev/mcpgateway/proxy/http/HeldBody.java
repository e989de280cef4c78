package dev.mcpgateway.proxy.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Keeps a request's body unread while handlers before the one that reads it wait for something
 * (an agent's credentials, a portal, a server): Vert.x web does not pause requests, and a body that
 * arrives before anyone listens is lost. Holds nest — an authentication that waited, then a look-up
 * that waits too — and the request resumes only when the last one is released, after every handler
 * of the chain so far has attached its own: {@code pause()} and {@code resume()} themselves do not
 * count, so the first to resume would otherwise let the body through while a later one still waits.
 */
public final class HeldBody {
  private static final String DEPTH = HeldBody.class.getName();

  private HeldBody() {}

  public static void hold(RoutingContext ctx) {
    Integer depth = ctx.get(DEPTH);
    ctx.put(DEPTH, depth == null ? 1 : depth + 1);
    ctx.request().pause();
  }

  public static void release(RoutingContext ctx) {
    int depth = ctx.<Integer>get(DEPTH) - 1;
    ctx.put(DEPTH, depth);
    if (depth == 0) ctx.request().resume();
  }
}
