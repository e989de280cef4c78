package dev.mcpgateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** The closed set of store kinds, each with its own settings. */
public sealed interface StoreSettings {

  /** The embedded default: files in a data directory. */
  record Embedded(Path dataDir) implements StoreSettings {}

  /** PostgreSQL at {@code url} ({@code postgresql://user@host:port/db}), tables in {@code schema}. */
  record Postgres(String url, String schema, int poolSize, int connectTimeoutMs) implements StoreSettings {
    @Override
    public String toString() {
      // the URL may carry a password
      return "Postgres[schema=" + schema + ", poolSize=" + poolSize + "]";
    }
  }

  /** Opens the stores these settings describe (migrating or loading as needed). */
  default Future<Stores> open(Vertx vertx) {
    if (this instanceof Embedded embedded) return FileStores.open(vertx, embedded.dataDir());
    return PgStores.open(vertx, (Postgres) this);
  }

  default String kind() {
    return this instanceof Embedded ? "embedded" : "postgres";
  }
}
