package dev.mcpgateway.store;

import static dev.mcpgateway.support.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mcpgateway.policy.AccessPolicy;
import dev.mcpgateway.policy.PolicyRule;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link PolicyStore} passes, run against the embedded store and
 * PostgreSQL: policies per account in evaluation order, every rule type kept as written, updates,
 * deletes, unknown ids, reopening, and change listeners.
 */
abstract class PolicyStoreContract extends StoresFixture {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  static AccessPolicy policy(String account, String id, Instant created) {
    return new AccessPolicy(account, id, "policy " + id, AccessPolicy.Decision.ALLOW,
        List.of(new PolicyRule.Email("a@example.com"), new PolicyRule.EmailDomain("example.com"), new PolicyRule.Group("groups", "eng"),
            new PolicyRule.Everyone()),
        List.of(new PolicyRule.ServiceToken("tok")), List.of(new PolicyRule.AnyValidServiceToken()), Set.of("github", "*"), Set.of("team"),
        created, created);
  }

  PolicyStore policies() {
    return stores.policies();
  }

  @Test
  void policiesAreKeptAsWrittenPerAccountInEvaluationOrder() {
    AccessPolicy later = policy("acme", "00000000-0000-4000-8000-000000000001", T0.plusSeconds(5));
    AccessPolicy earlier = policy("acme", "00000000-0000-4000-8000-000000000002", T0);
    AccessPolicy tie = policy("acme", "00000000-0000-4000-8000-000000000000", T0);
    for (AccessPolicy p : List.of(later, earlier, tie)) result(policies().create(p));
    result(policies().create(policy("globex", "00000000-0000-4000-8000-000000000009", T0)));
    assertEquals(List.of(tie, earlier, later), result(policies().list("acme")));
    assertEquals(earlier, result(policies().get("acme", earlier.id())));
    assertEquals(1, result(policies().list("globex")).size());
    assertEquals(List.of(), result(policies().list("nobody")));
    reopen();
    assertEquals(List.of(tie, earlier, later), result(policies().list("acme")), "a restart keeps them");
  }

  @Test
  void updatesReplaceAndDeletesRemoveAndUnknownIdsAreNotFound() {
    AccessPolicy p = policy("acme", "00000000-0000-4000-8000-00000000000a", T0);
    result(policies().create(p));
    assertInstanceOf(DuplicatePolicyException.class, failure(policies().create(p)));
    AccessPolicy updated = result(policies().update("acme", p.id(), current -> new AccessPolicy(current.accountId(), current.id(), "renamed",
        AccessPolicy.Decision.DENY, List.of(new PolicyRule.Everyone()), List.of(), List.of(), Set.of("*"), Set.of(), current.createdAt(),
        T0.plusSeconds(60))));
    assertEquals(updated, result(policies().get("acme", p.id())));
    assertEquals("renamed", result(policies().list("acme")).get(0).name());
    assertEquals(updated, result(policies().delete("acme", p.id())));
    assertEquals(List.of(), result(policies().list("acme")));
    assertInstanceOf(PolicyNotFoundException.class, failure(policies().get("acme", p.id())));
    assertInstanceOf(PolicyNotFoundException.class, failure(policies().delete("acme", p.id())));
    assertInstanceOf(PolicyNotFoundException.class, failure(policies().update("acme", p.id(), c -> c)));
    assertInstanceOf(PolicyNotFoundException.class, failure(policies().get("globex", p.id())), "another account's id");
  }

  @Test
  void aThrowingUpdateChangesNothing() {
    AccessPolicy p = policy("acme", "00000000-0000-4000-8000-00000000000b", T0);
    result(policies().create(p));
    IllegalStateException refused = new IllegalStateException("no");
    assertEquals(refused, failure(policies().update("acme", p.id(), c -> {
      throw refused;
    })));
    assertEquals(p, result(policies().get("acme", p.id())));
  }

  @Test
  void listenersHearTheAccountOfEveryChange() throws Exception {
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    policies().onChange(heard::add);
    AccessPolicy p = policy("acme", "00000000-0000-4000-8000-00000000000c", T0);
    result(policies().create(p));
    assertEquals("acme", heard.poll(2, TimeUnit.SECONDS));
    result(policies().update("acme", p.id(), c -> c));
    assertEquals("acme", heard.poll(2, TimeUnit.SECONDS));
    result(policies().delete("acme", p.id()));
    assertEquals("acme", heard.poll(2, TimeUnit.SECONDS));
    assertNull(heard.poll(200, TimeUnit.MILLISECONDS));
  }

  static Throwable failure(io.vertx.core.Future<?> future) {
    try {
      result(future);
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof PolicyNotFoundException) && !(cause instanceof DuplicatePolicyException)
          && !(cause instanceof IllegalStateException && "no".equals(cause.getMessage()))) {
        cause = cause.getCause();
      }
      return cause;
    }
    throw new AssertionError("expected a failure");
  }
}
