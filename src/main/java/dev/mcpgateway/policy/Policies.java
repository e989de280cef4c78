package dev.mcpgateway.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.store.PolicyStore;
import io.vertx.core.Future;
import java.util.List;

/**
 * The account's policies as this replica holds them, for the MCP endpoints: read from the store once,
 * then kept until the store says they changed (with PostgreSQL, a change by any replica, or
 * everything after the change feed reconnected). A read that fails is not kept, so the next
 * request tries again. Bounded: the accounts with recent traffic.
 */
public final class Policies {
  private static final int MAX_ACCOUNTS = 10_000;

  private final PolicyStore store;
  private final Cache<String, Future<List<AccessPolicy>>> byAccount = Caffeine.newBuilder().maximumSize(MAX_ACCOUNTS).build();

  public Policies(PolicyStore store) {
    this.store = store;
    store.onChange(account -> {
      if (PolicyStore.EVERY_ACCOUNT.equals(account)) byAccount.invalidateAll();
      else byAccount.invalidate(account);
    });
  }

  public Future<List<AccessPolicy>> of(String accountId) {
    Future<List<AccessPolicy>> policies = byAccount.get(accountId, store::list);
    // the failed read is forgotten, unless a change replaced it meanwhile
    policies.onFailure(e -> byAccount.asMap().remove(accountId, policies));
    return policies;
  }
}
