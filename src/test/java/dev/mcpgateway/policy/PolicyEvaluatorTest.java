package dev.mcpgateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.policy.AccessPolicy.Decision;
import dev.mcpgateway.policy.PolicyEvaluator.TargetKind;
import dev.mcpgateway.security.Agent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Access decisions rule by rule: deny first, each agent kind admitted only by its own decision, fail closed. */
class PolicyEvaluatorTest {
  static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
  static final Agent ALICE = user("alice", "Alice@Example.com", "eng");
  static final Agent BOB = user("bob", "bob@corp.example", "sales");
  static final Agent ROBOT = new Agent(Agent.SERVICE_TOKEN_PREFIX + "tok-1", Agent.Kind.SERVICE_TOKEN, null, Set.of(), Set.of("acme"), Agent.EVERY_SERVER);
  static final Agent CLIENT = new Agent("ci", Agent.Kind.CLIENT_TOKEN, null, Set.of(), Set.of("acme"), Agent.EVERY_SERVER);

  static Agent user(String sub, String email, String... groups) {
    return new Agent(Agent.USER_PREFIX + sub, Agent.Kind.USER, email, Set.of(groups), Set.of("acme"), Agent.EVERY_SERVER);
  }

  static AccessPolicy policy(String id, Decision decision, List<PolicyRule> include, List<PolicyRule> require, List<PolicyRule> exclude,
      Set<String> servers) {
    return new AccessPolicy("acme", id, "policy " + id, decision, include, require, exclude, servers, Set.of(), T, T);
  }

  static AccessPolicy allow(String id, PolicyRule rule, String... servers) {
    return policy(id, Decision.ALLOW, List.of(rule), List.of(), List.of(), Set.of(servers));
  }

  static boolean allowed(List<AccessPolicy> policies, Agent agent, String server) {
    return PolicyEvaluator.decide(policies, agent, TargetKind.SERVER, server).allowed();
  }

  @Test
  void withoutPoliciesUsersAndServiceTokensReachNothingAndClientTokensAreTheConfigurations() {
    assertFalse(allowed(List.of(), ALICE, "github"));
    assertFalse(allowed(List.of(), ROBOT, "github"));
    Verdict client = PolicyEvaluator.decide(List.of(), CLIENT, TargetKind.SERVER, "github");
    assertTrue(client.allowed());
    assertNull(client.decidedBy());
  }

  @ParameterizedTest(name = "{0} -> alice {1}, bob {2}")
  @CsvSource({
      "everyone,            true,  true",
      "email:alice@example.com, true, false",
      "email:ALICE@EXAMPLE.COM, true, false",
      "email_domain:example.com, true, false",
      "email_domain:corp.example, false, true",
      "email_domain:example, false, false",
      "group:eng,           true,  false",
      "group:sales,         false, true",
      "group:Eng,           false, false",
      "service_token:tok-1, false, false",
      "any_valid_service_token, false, false"})
  void eachRuleTypeMatchesWhatItSays(String rule, boolean alice, boolean bob) {
    List<AccessPolicy> policies = List.of(allow("p", parse(rule), "github"));
    assertEquals(alice, allowed(policies, ALICE, "github"), "alice");
    assertEquals(bob, allowed(policies, BOB, "github"), "bob");
  }

  static PolicyRule parse(String rule) {
    String[] parts = rule.split(":", 2);
    return switch (parts[0]) {
      case "everyone" -> new PolicyRule.Everyone();
      case "email" -> new PolicyRule.Email(parts[1]);
      case "email_domain" -> new PolicyRule.EmailDomain(parts[1]);
      case "group" -> new PolicyRule.Group("groups", parts[1]);
      case "service_token" -> new PolicyRule.ServiceToken(parts[1]);
      case "any_valid_service_token" -> new PolicyRule.AnyValidServiceToken();
      default -> throw new IllegalArgumentException(rule);
    };
  }

  @Test
  void aPolicyAppliesOnlyToItsTargetsAndStarIsEveryServer() {
    List<AccessPolicy> policies = List.of(allow("p", new PolicyRule.Everyone(), "github"));
    assertTrue(allowed(policies, ALICE, "github"));
    assertFalse(allowed(policies, ALICE, "linear"));
    assertTrue(allowed(List.of(allow("all", new PolicyRule.Everyone(), "*")), ALICE, "linear"));
    assertFalse(PolicyEvaluator.decide(policies, ALICE, TargetKind.PORTAL, "github").allowed(), "a server id is not a portal id");
  }

  @Test
  void requireNeedsEveryRuleAndExcludeNone() {
    AccessPolicy engAtExample = policy("p", Decision.ALLOW, List.of(new PolicyRule.Everyone()),
        List.of(new PolicyRule.Group("groups", "eng"), new PolicyRule.EmailDomain("example.com")),
        List.of(new PolicyRule.Email("mallory@example.com")), Set.of("*"));
    assertTrue(allowed(List.of(engAtExample), ALICE, "x"));
    assertFalse(allowed(List.of(engAtExample), user("carol", "carol@example.com", "sales"), "x"), "require: the group fails");
    assertFalse(allowed(List.of(engAtExample), user("dave", "dave@corp.example", "eng"), "x"), "require: the domain fails");
    Verdict mallory = PolicyEvaluator.decide(List.of(engAtExample), user("mallory", "mallory@example.com", "eng"), TargetKind.SERVER, "x");
    assertFalse(mallory.allowed());
    assertTrue(mallory.steps().get(0).detail().startsWith("exclude rule 0"), mallory.steps().get(0).detail());
  }

  @Test
  void aMatchingDenyWinsOverAnyAllowWhateverTheOrder() {
    AccessPolicy allowAll = allow("a", new PolicyRule.Everyone(), "*");
    AccessPolicy denyBob = policy("d", Decision.DENY, List.of(new PolicyRule.Email("bob@corp.example")), List.of(), List.of(), Set.of("github"));
    for (List<AccessPolicy> order : List.of(List.of(allowAll, denyBob), List.of(denyBob, allowAll))) {
      Verdict bob = PolicyEvaluator.decide(order, BOB, TargetKind.SERVER, "github");
      assertFalse(bob.allowed());
      assertEquals("d", bob.decidedBy().id());
      assertTrue(allowed(order, BOB, "linear"), "the deny applies to github only");
      assertTrue(allowed(order, ALICE, "github"));
    }
  }

  @Test
  void serviceTokensPassOnlyServiceAuthPoliciesAndUsersOnlyAllowOnes() {
    AccessPolicy serviceAuth = policy("s", Decision.NON_IDENTITY, List.of(new PolicyRule.ServiceToken("tok-1")), List.of(), List.of(), Set.of("*"));
    AccessPolicy allowTokens = policy("a", Decision.ALLOW, List.of(new PolicyRule.AnyValidServiceToken()), List.of(), List.of(), Set.of("*"));
    assertTrue(allowed(List.of(serviceAuth), ROBOT, "x"));
    assertFalse(allowed(List.of(allowTokens), ROBOT, "x"), "an allow policy does not admit service tokens (Cloudflare: Service Auth)");
    assertFalse(allowed(List.of(serviceAuth), ALICE, "x"));
    assertFalse(allowed(List.of(policy("e", Decision.NON_IDENTITY, List.of(new PolicyRule.Everyone()), List.of(), List.of(), Set.of("*"))), ALICE, "x"),
        "service auth never admits a user");
    AccessPolicy denyTokens = policy("d", Decision.DENY, List.of(new PolicyRule.AnyValidServiceToken()), List.of(), List.of(), Set.of("x"));
    assertFalse(allowed(List.of(serviceAuth, denyTokens), ROBOT, "x"));
    assertFalse(allowed(List.of(serviceAuth), new Agent(Agent.SERVICE_TOKEN_PREFIX + "tok-2", Agent.Kind.SERVICE_TOKEN, null, Set.of(),
        Set.of("acme"), Agent.EVERY_SERVER), "x"), "another token");
  }

  @Test
  void theDecidingPolicyIsTheFirstThatMatchesAndEveryPolicyIsExplained() {
    List<AccessPolicy> policies = List.of(allow("one", new PolicyRule.Group("groups", "sales"), "*"),
        allow("two", new PolicyRule.Everyone(), "*"), allow("three", new PolicyRule.Everyone(), "other"));
    Verdict verdict = PolicyEvaluator.decide(policies, ALICE, TargetKind.SERVER, "github");
    assertEquals("two", verdict.decidedBy().id());
    assertEquals(List.of(false, true, false), verdict.steps().stream().map(Verdict.Step::matched).toList());
    assertEquals(List.of(true, true, false), verdict.steps().stream().map(Verdict.Step::applies).toList());
    assertEquals("allowed by policy 'policy two'", verdict.reason());
    assertEquals(3, verdict.toJson().getJsonArray("policies").size());
  }

  @Test
  void anAgentWithinItsAllowedMembersReachesOnlyThose() {
    Agent narrowed = ALICE.within(Set.of("github"));
    assertTrue(narrowed.mayUse("acme", "github"));
    assertFalse(narrowed.mayUse("acme", "linear"));
    assertFalse(ALICE.within(Set.of()).mayUse("acme", "github"), "nothing allowed is nothing, not everything");
    Agent scoped = new Agent("t", Agent.Kind.CLIENT_TOKEN, null, Set.of(), Set.of("acme"), Set.of("linear"));
    assertFalse(scoped.within(Set.of("github", "linear")).mayUse("acme", "github"), "policies never widen a token's own scope");
  }
}
