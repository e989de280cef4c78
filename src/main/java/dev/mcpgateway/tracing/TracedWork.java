package dev.mcpgateway.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.tracing.opentelemetry.VertxContextStorageProvider.VertxContextStorage;
import java.util.function.Supplier;

/**
 * A piece of asynchronous work (a sync, an OAuth token request) as a span of its own: the work
 * runs on a fresh duplicate of the caller's Vert.x context with the span current there for its
 * whole life — so the HTTP exchanges and store queries it starts, in whatever callback, are its
 * children — and the span ends with the work's outcome. A duplicate, because a span made current
 * on a shared context (an event loop's, the sync context) would be the parent of everything else
 * that runs there. The outcome comes back on the caller's context.
 */
public final class TracedWork {
  private TracedWork() {}

  /** Runs {@code work} under span {@code name}, child of {@code parent} (the caller's trace, or root). */
  public static <T> Future<T> run(Tracing tracing, Context parent, String name, Attributes attributes, Supplier<Future<T>> work) {
    if (!tracing.enabled()) return work.get();
    ContextInternal caller = ContextInternal.current();
    Span span = tracing.tracer().spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL).setAllAttributes(attributes).startSpan();
    Context traced = parent.with(span);
    if (caller == null) { // not on a Vert.x context (a test's thread): current for the synchronous part only
      Future<T> started;
      try (Scope scope = traced.makeCurrent()) {
        started = start(work);
      }
      return started.onComplete(outcome -> end(span, outcome.cause()));
    }
    ContextInternal duplicate = caller.duplicate();
    Promise<T> promise = caller.promise();
    duplicate.runOnContext(v -> {
      Scope scope = VertxContextStorage.INSTANCE.attach(duplicate, traced);
      start(work).onComplete(outcome -> {
        end(span, outcome.cause());
        scope.close();
        promise.handle(outcome);
      });
    });
    return promise.future();
  }

  private static <T> Future<T> start(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** A failure marks the span as an error with the failure's kind and message (gateway messages carry no secret). */
  private static void end(Span span, Throwable failure) {
    if (failure != null) {
      span.setAttribute("error.type", failure.getClass().getSimpleName());
      span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
    span.end();
  }
}
