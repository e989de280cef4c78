package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.security.TokenHash;
import dev.mcpgateway.support.PgSchema;
import dev.mcpgateway.support.Postgres;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The authorization server's store contract against the real PostgreSQL, a schema per test; and a code redeemed on two replicas at once. */
class PgSignInStoreTest extends SignInStoreContract {
  @RegisterExtension final PgSchema pg = new PgSchema();
  private final String schema = pg.name();

  @Override
  protected Future<Stores> open() {
    return PgStores.open(vertx, Postgres.settings(schema));
  }

  @Test
  void aCodeRedeemedOnTwoReplicasAtOnceIsRedeemedOnceAndTheOtherIsAReplay() {
    Stores other = result(open());
    try {
      result(store().openGrant(grant("g1"), code("code-1", "g1")));
      Future<SignInStore.Redemption> here = store().redeem(TokenHash.sha256Hex("code-1"), NOW, refresh("rt-a", "g1", NOW.plusSeconds(60)));
      Future<SignInStore.Redemption> there = other.signIn().redeem(TokenHash.sha256Hex("code-1"), NOW, refresh("rt-b", "g1", NOW.plusSeconds(60)));
      result(Future.join(here, there));
      assertEquals(java.util.Set.of(SignInStore.Outcome.REDEEMED, SignInStore.Outcome.REPLAYED),
          java.util.Set.of(here.result().outcome(), there.result().outcome()));
    } finally {
      result(other.close());
    }
  }
}
