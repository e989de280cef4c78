package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract suite stands on: a Vert.x, and the {@link Stores} under test opened over this
 * test's data. Each backend's test class says how to open (and re-open, over the same data) them.
 */
abstract class StoresFixture {
  protected Vertx vertx;
  protected Stores stores;

  /** Opens the stores under test over this test's data (new instances each call). */
  protected abstract Future<Stores> open();

  @BeforeEach
  void openStores() {
    vertx = Vertx.vertx();
    stores = result(open());
  }

  @AfterEach
  void closeStores() {
    result(stores.close());
    result(vertx.close());
  }

  /** Closes and opens again over the same data: what a restart does. */
  protected void reopen() {
    result(stores.close());
    stores = result(open());
  }
}
