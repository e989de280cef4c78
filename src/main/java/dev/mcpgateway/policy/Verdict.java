package dev.mcpgateway.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Whether an agent may use a server or portal, which policy decided it (null when none did: a
 * client token, or nothing matched), why in words, and how every policy of the account fared —
 * what the explain read answers.
 */
public record Verdict(boolean allowed, AccessPolicy decidedBy, String reason, List<Step> steps) {

  /** One policy's part: whether it applies to the target, whether the agent matched it, and the rule that settled that. */
  public record Step(AccessPolicy policy, boolean applies, boolean matched, String detail) {
    JsonObject toJson() {
      return new JsonObject().put("id", policy.id()).put("name", policy.name()).put("decision", policy.decision().wire())
          .put("applies", applies).put("matched", matched).put("detail", detail);
    }
  }

  public JsonObject toJson() {
    JsonArray evaluated = new JsonArray();
    steps.forEach(step -> evaluated.add(step.toJson()));
    return new JsonObject().put("allowed", allowed)
        .put("decided_by", decidedBy == null ? null
            : new JsonObject().put("id", decidedBy.id()).put("name", decidedBy.name()).put("decision", decidedBy.decision().wire()))
        .put("reason", reason).put("policies", evaluated);
  }
}
