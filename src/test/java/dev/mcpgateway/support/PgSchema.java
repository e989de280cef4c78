package dev.mcpgateway.support;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL schema of one test's own, dropped after it: register as an instance field with
 * {@code @RegisterExtension} (JUnit makes a test instance, so a schema, per test method).
 */
public final class PgSchema implements AfterEachCallback {
  private final String name = Postgres.newSchema();

  public String name() {
    return name;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Vertx cleanup = Vertx.vertx();
    try {
      Await.result(Postgres.dropSchema(cleanup, name));
    } finally {
      Await.result(cleanup.close());
    }
  }
}
