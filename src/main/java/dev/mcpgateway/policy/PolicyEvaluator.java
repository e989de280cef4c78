package dev.mcpgateway.policy;

import dev.mcpgateway.security.Agent;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides an agent's access to one server or portal from the account's policies, deny first:
 * <ol>
 *   <li>configured client tokens are scoped by the configuration ({@code security.client_tokens}),
 *       not by policies: always allowed here;</li>
 *   <li>a matching {@code deny} policy that applies to the target refuses, whatever else matches;</li>
 *   <li>a user is allowed by a matching {@code allow} policy, a service token by a matching
 *       {@code non_identity} (service auth) policy — each kind only by its own decision, as in
 *       Cloudflare Access;</li>
 *   <li>nothing matched: refused. Sign-in without a policy reaches nothing (fail closed).</li>
 * </ol>
 * Policies are tried in the order given (the store's: by creation), so the one named as deciding
 * is stable.
 */
public final class PolicyEvaluator {
  private PolicyEvaluator() {}

  public enum TargetKind { SERVER, PORTAL }

  public static Verdict decide(List<AccessPolicy> policies, Agent agent, TargetKind kind, String targetId) {
    List<Verdict.Step> steps = new ArrayList<>();
    AccessPolicy denied = null;
    AccessPolicy allowed = null;
    for (AccessPolicy policy : policies) {
      boolean applies = kind == TargetKind.SERVER ? policy.appliesToServer(targetId) : policy.appliesToPortal(targetId);
      if (!applies) {
        steps.add(new Verdict.Step(policy, false, false, "does not apply to this " + kind.name().toLowerCase(java.util.Locale.ROOT)));
        continue;
      }
      Match match = match(policy, agent);
      steps.add(new Verdict.Step(policy, true, match.matched, match.detail));
      if (!match.matched) continue;
      if (policy.decision() == AccessPolicy.Decision.DENY && denied == null) denied = policy;
      if (allowed == null && admits(policy.decision(), agent)) allowed = policy;
    }
    if (agent.kind() == Agent.Kind.CLIENT_TOKEN) {
      return new Verdict(true, null, "client tokens are scoped by the configuration, not by access policies", steps);
    }
    if (denied != null) return new Verdict(false, denied, "denied by policy '" + denied.name() + "'", steps);
    if (allowed != null) return new Verdict(true, allowed, "allowed by policy '" + allowed.name() + "'", steps);
    return new Verdict(false, null, agent.kind() == Agent.Kind.USER
        ? "no allow policy of this account matches this user here"
        : "no service auth (non_identity) policy of this account matches this service token here", steps);
  }

  private static boolean admits(AccessPolicy.Decision decision, Agent agent) {
    return switch (agent.kind()) {
      case USER -> decision == AccessPolicy.Decision.ALLOW;
      case SERVICE_TOKEN -> decision == AccessPolicy.Decision.NON_IDENTITY;
      case CLIENT_TOKEN -> false;
    };
  }

  private record Match(boolean matched, String detail) {}

  private static Match match(AccessPolicy policy, Agent agent) {
    int included = -1;
    for (int i = 0; i < policy.include().size() && included < 0; i++) if (policy.include().get(i).matches(agent)) included = i;
    if (included < 0) return new Match(false, "no include rule matches");
    for (int i = 0; i < policy.require().size(); i++) {
      if (!policy.require().get(i).matches(agent)) return new Match(false, "require rule " + i + " " + describe(policy.require().get(i)) + " fails");
    }
    for (int i = 0; i < policy.exclude().size(); i++) {
      if (policy.exclude().get(i).matches(agent)) return new Match(false, "exclude rule " + i + " " + describe(policy.exclude().get(i)) + " matches");
    }
    return new Match(true, "include rule " + included + " " + describe(policy.include().get(included)) + " matches");
  }

  private static String describe(PolicyRule rule) {
    return rule.toJson().encode();
  }
}
