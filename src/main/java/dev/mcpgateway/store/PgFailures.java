package dev.mcpgateway.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.util.Set;

/**
 * How the PostgreSQL stores answer a failure: domain failures pass through, what an update
 * function threw reaches the caller as itself (carried through the transaction, which rolls back,
 * by {@link #rejected}), and anything else means the database is unavailable: logged once here,
 * answered as {@link StoreUnavailableException}.
 */
final class PgFailures {
  private static final System.Logger LOG = System.getLogger(PgFailures.class.getName());
  private static final String UNIQUE_VIOLATION = "23505";
  /** The stores' own failures: answered as they are. */
  private static final Set<Class<?>> DOMAIN = Set.of(DuplicateServerException.class, ServerNotFoundException.class,
      ServerInUseException.class, DuplicatePortalException.class, PortalNotFoundException.class, PortalHostnameTakenException.class,
      PortalMemberMissingException.class, ServiceTokenNotFoundException.class, DuplicateServiceTokenException.class,
      PolicyNotFoundException.class, DuplicatePolicyException.class, DuplicateGrantException.class);

  private PgFailures() {}

  static <T> Future<T> translate(Future<T> future) {
    return future.recover(e -> {
      if (e instanceof UpdateRejected rejected) return Future.failedFuture(rejected.getCause());
      if (DOMAIN.contains(e.getClass())) return Future.failedFuture(e);
      if (e instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) return Future.failedFuture(e);
      LOG.log(System.Logger.Level.WARNING, "PostgreSQL store failure: " + e);
      return Future.failedFuture(new StoreUnavailableException("database unavailable", e));
    });
  }

  /** Whether {@code e} is PostgreSQL's {@code sqlState} on {@code constraint}. */
  static boolean violates(Throwable e, String sqlState, String constraint) {
    return e instanceof PgException pg && sqlState.equals(pg.getSqlState()) && constraint.equals(pg.getConstraint());
  }

  /** Wraps what an update function threw, so that {@link #translate} answers it unchanged after the rollback. */
  static RuntimeException rejected(RuntimeException cause) {
    return new UpdateRejected(cause);
  }

  private static final class UpdateRejected extends RuntimeException {
    UpdateRejected(RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
