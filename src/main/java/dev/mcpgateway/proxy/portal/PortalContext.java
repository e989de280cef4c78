package dev.mcpgateway.proxy.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mcpgateway.metrics.ContextCost;
import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a portal's lists cost an agent in each {@link ContextMode}: {@code tools/list} built exactly
 * as the endpoint builds it ({@link BuiltInTools#definitions()}, then {@link ContextTools#list}) and
 * {@code prompts/list}, over every member that is in, as a client token without server
 * restrictions and without switches sees them (members left out are not counted). Counted once
 * per set of member views (they change only with a member's sync, an override or the portal's
 * mapping), on a worker: a thousand tools take tens of milliseconds of CPU.
 */
public final class PortalContext {
  /** The modes by the name the management API and the metrics give them: FULL is {@code full}. */
  public static String modeName(ContextMode mode) {
    return mode == ContextMode.FULL ? "full" : mode.wire();
  }

  private record Key(PortalKey portal, MemberViews views) {}

  private final Vertx vertx;
  private final PortalMembers members;
  private final Cache<Key, Future<Map<String, ContextCost>>> costs = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterAccess(Duration.ofHours(1)).build();

  public PortalContext(Vertx vertx, PortalMembers members) {
    this.vertx = vertx;
    this.members = members;
  }

  /** The portal's cost by mode name ({@code full}, {@code minimize_tools}, {@code search_and_execute}), in that order. */
  public Future<Map<String, ContextCost>> costs(Portal portal) {
    return members.all(portal).compose(loaded -> {
      Key key = new Key(portal.key(), MemberViews.of(loaded));
      Future<Map<String, ContextCost>> cached = costs.getIfPresent(key);
      if (cached != null && !cached.failed()) return cached;
      Future<Map<String, ContextCost>> counted = vertx.executeBlocking(() -> count(loaded), false);
      costs.put(key, counted);
      return counted;
    });
  }

  /** Blocking CPU work: the lists of every mode, encoded and tokenized. */
  static Map<String, ContextCost> count(List<PortalMembers.Member> members) {
    JsonArray prompts = new JsonArray();
    members.forEach(m -> prompts.addAll(m.view().prompts()));
    ContextCost promptsCost = ContextCost.of(prompts);
    Map<String, ContextCost> byMode = new LinkedHashMap<>();
    for (ContextMode mode : ContextMode.values()) {
      JsonArray tools = BuiltInTools.definitions();
      ContextTools.list(mode, members, tools);
      byMode.put(modeName(mode), ContextCost.of(tools).plus(promptsCost));
    }
    return java.util.Collections.unmodifiableMap(byMode);
  }
}
