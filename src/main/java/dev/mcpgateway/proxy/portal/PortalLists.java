package dev.mcpgateway.proxy.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.List;

/**
 * A portal's {@code tools/list} and {@code prompts/list} arrays, encoded once per set of member
 * views and mode and then written as bytes: a merged list of hundreds of tools costs a JSON
 * encoding of hundreds of kilobytes, which would otherwise be paid on every request although it
 * changes only with a sync, an override or a toggle. Bounded by bytes held, not entries.
 */
final class PortalLists {
  /** What the cache may hold in all: about two hundred 300 KiB lists of a 1,000-tool portal. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  private record Key(MemberViews views, ContextMode mode, boolean tools) {}

  private final Cache<Key, Buffer> encoded = Caffeine.newBuilder()
      .maximumWeight(MAX_BYTES)
      .weigher((Key key, Buffer value) -> value.length())
      .expireAfterAccess(Duration.ofMinutes(30))
      .build();

  /** The {@code tools} array this agent gets: the built-in tools, then the members' as {@code mode} shows them. */
  Buffer tools(List<PortalMembers.Member> members, ContextMode mode) {
    return encoded.get(new Key(MemberViews.of(members), mode, true), key -> {
      JsonArray tools = BuiltInTools.definitions();
      ContextTools.list(mode, members, tools);
      return tools.toBuffer();
    });
  }

  /** The {@code prompts} array: every member's prompts. */
  Buffer prompts(List<PortalMembers.Member> members) {
    return encoded.get(new Key(MemberViews.of(members), ContextMode.FULL, false), key -> {
      JsonArray prompts = new JsonArray();
      members.forEach(m -> prompts.addAll(m.view().prompts()));
      return prompts.toBuffer();
    });
  }
}
