package dev.mcpgateway.concurrency;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The gateway's rule for Vert.x contexts: work continues on the context that asked for it.
 *
 * <p>A future shared by several callers (a sync that a sweep started and an admin joined, a token
 * renewal that many requests wait for) completes on whichever thread completes it; without care
 * its joiners continue there, on another event loop, beside state that is not theirs (an agent's
 * response, a relay). {@link #joined} hands each caller the outcome on its own context.
 * {@link #on} runs work on a context the gateway owns, whoever calls. {@link #executor} is the
 * executor for Caffeine caches, whose removal listeners would otherwise run on ForkJoinPool.
 */
public final class Contexts {
  private Contexts() {}

  /** {@code shared}'s outcome, delivered on the caller's context (as is, when the caller is on none). */
  public static <T> Future<T> joined(Future<T> shared) {
    Context caller = Vertx.currentContext();
    if (caller == null) return shared;
    Promise<T> promise = Promise.promise();
    shared.onComplete(outcome -> {
      if (Vertx.currentContext() == caller) promise.handle(outcome);
      else caller.runOnContext(v -> promise.handle(outcome));
    });
    return promise.future();
  }

  /** Runs {@code work} on {@code owner} (at once when already there); its outcome comes back on the caller's context. */
  public static <T> Future<T> on(Context owner, Supplier<Future<T>> work) {
    if (Vertx.currentContext() == owner) return work.get();
    Promise<T> promise = Promise.promise();
    owner.runOnContext(v -> {
      Future<T> started;
      try {
        started = work.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(promise);
    });
    return joined(promise.future());
  }

  /** An executor that runs tasks on {@code context}: for Caffeine's maintenance and removal listeners. */
  public static Executor executor(Context context) {
    return command -> context.runOnContext(v -> command.run());
  }
}
