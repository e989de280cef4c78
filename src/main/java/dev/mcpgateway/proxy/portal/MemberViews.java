package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.sync.PortalView;
import java.util.ArrayList;
import java.util.List;

/**
 * The views of the members one agent sees, compared by identity element by element: a cache key
 * for what is derived from them (encoded lists, search indexes). {@link PortalMembers} keeps one
 * view per member sync and mapping, so the same members give the same key until something changes.
 */
record MemberViews(List<PortalView.Member> views) {
  static MemberViews of(List<PortalMembers.Member> members) {
    List<PortalView.Member> views = new ArrayList<>(members.size());
    members.forEach(m -> views.add(m.view()));
    return new MemberViews(views);
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof MemberViews that) || that.views.size() != views.size()) return false;
    for (int i = 0; i < views.size(); i++) {
      if (views.get(i) != that.views.get(i)) return false;
    }
    return true;
  }

  @Override
  public int hashCode() {
    int hash = 1;
    for (PortalView.Member view : views) hash = 31 * hash + System.identityHashCode(view);
    return hash;
  }
}
