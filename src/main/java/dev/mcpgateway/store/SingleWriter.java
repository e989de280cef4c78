package dev.mcpgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * The embedded store's one writer: a single-threaded worker that runs every mutation of servers,
 * portals, audit trail and user connections in submission order, so read-modify-write (and a check
 * across stores, such as a portal's members) is atomic without locks and the event loop never
 * waits for the disk. It is also the embedded store's open/closed
 * state: once closed, nothing is written any more. An I/O failure is logged once, here, and
 * answered as {@link StoreUnavailableException}.
 */
final class SingleWriter {
  private static final System.Logger LOG = System.getLogger(SingleWriter.class.getName());

  /** Blocking work: runs on the writer (or, for {@link #read}, on a worker) only. */
  @FunctionalInterface
  interface Blocking<T> {
    T run() throws Exception;
  }

  private final Vertx vertx;
  private final WorkerExecutor executor;
  private volatile boolean closed;

  private SingleWriter(Vertx vertx, WorkerExecutor executor) {
    this.vertx = vertx;
    this.executor = executor;
  }

  static SingleWriter create(Vertx vertx) {
    return new SingleWriter(vertx, vertx.createSharedWorkerExecutor("file-store-" + UUID.randomUUID(), 1));
  }

  /** Runs {@code load} (opening the store) on the writer, first; closes the writer if it fails. */
  <T> Future<T> load(Blocking<T> load) {
    return executor.executeBlocking(load::run, true).onFailure(e -> close());
  }

  /** Runs {@code mutation} on the writer, after every mutation submitted before it. */
  <T> Future<T> write(Blocking<T> mutation) {
    if (closed) return unavailable();
    return executor.executeBlocking(() -> {
      try {
        return mutation.run();
      } catch (IOException | UncheckedIOException e) {
        LOG.log(System.Logger.Level.ERROR, "embedded store write failed", e);
        throw new StoreUnavailableException("embedded store write failed", e);
      }
    }, true);
  }

  /** Runs a blocking read on Vert.x's worker pool, not queued behind the writes ({@code what} names it in a failure). */
  <T> Future<T> read(String what, Blocking<T> read) {
    if (closed) return unavailable();
    return vertx.executeBlocking(() -> {
      try {
        return read.run();
      } catch (IOException | UncheckedIOException e) {
        LOG.log(System.Logger.Level.ERROR, "embedded store " + what + " failed", e);
        throw new StoreUnavailableException("embedded store " + what + " failed", e);
      }
    }, false);
  }

  /** {@code value} (read from memory) while open. */
  <T> Future<T> answer(T value) {
    return closed ? unavailable() : Future.succeededFuture(value);
  }

  boolean closed() {
    return closed;
  }

  Future<Void> close() {
    closed = true;
    return executor.close();
  }

  private static <T> Future<T> unavailable() {
    return Future.failedFuture(new StoreUnavailableException("store closed", null));
  }
}
