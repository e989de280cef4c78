package dev.mcpgateway.proxy.portal;

import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalKey;
import dev.mcpgateway.model.ServerKey;
import dev.mcpgateway.security.Agent;
import dev.mcpgateway.store.PortalStore;
import dev.mcpgateway.store.ServerStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells agents listening on a portal (a session's GET stream, a {@code subscriptions/listen}) that
 * its tool or prompt list changed — whichever member's sync, override, the portal's own edit, or
 * the agent's own switches ({@link PortalSwitches}) changed it, from any replica (the stores' change
 * feeds). Changes are coalesced: the first one
 * starts a short delay, after which each listener's lists are computed again as that agent sees
 * them and compared with what it saw last, so a burst of member syncs is one notification, and a
 * sync that changed nothing an agent sees is none — nor is one agent's switch to the others. Runs on the event loop that registered the
 * listener's portal first (one context per portal, set at first registration).
 */
public final class PortalChanges {
  /** How long changes are gathered before listeners are told. */
  static final long COALESCE_MS = 100;

  /** What a listener hears: which lists changed. */
  public interface Listener {
    void changed(boolean tools, boolean prompts);
  }

  private final class Registration {
    final Agent client;
    final ToggleHolder holder;
    final Listener listener;
    int tools;
    int prompts;

    Registration(Agent client, ToggleHolder holder, Listener listener) {
      this.client = client;
      this.holder = holder;
      this.listener = listener;
    }
  }

  private final Vertx vertx;
  private final PortalDirectory directory;
  private final PortalMembers members;
  private final Map<PortalKey, Set<Registration>> listening = new HashMap<>();
  private final Set<PortalKey> pending = new LinkedHashSet<>();

  public PortalChanges(Vertx vertx, PortalDirectory directory, PortalMembers members, ServerStore servers, PortalStore portals,
      PortalSwitches switches) {
    this.vertx = vertx;
    this.directory = directory;
    this.members = members;
    servers.onChange(this::serverChanged);
    portals.onChange(this::portalChanged);
    switches.onChange(this::portalChanged);
  }

  /** Starts telling {@code listener}; answers what stops it (call it when the agent's stream closes). */
  public synchronized Runnable listen(Portal portal, Agent client, ToggleHolder holder, Listener listener) {
    Registration registration = new Registration(client, holder, listener);
    listening.computeIfAbsent(portal.key(), k -> new LinkedHashSet<>()).add(registration);
    signatures(portal, client, holder).onSuccess(s -> {
      registration.tools = s[0];
      registration.prompts = s[1];
    });
    return () -> {
      synchronized (this) {
        Set<Registration> set = listening.get(portal.key());
        if (set != null && set.remove(registration) && set.isEmpty()) listening.remove(portal.key());
      }
    };
  }

  /** Agents listening now, on every portal of this replica. */
  public synchronized int size() {
    return listening.values().stream().mapToInt(Set::size).sum();
  }

  private void serverChanged(ServerKey key) {
    List<PortalKey> affected;
    synchronized (this) {
      affected = listening.keySet().stream()
          .filter(p -> key.equals(ServerKey.EVERYTHING) || p.accountId().equals(key.accountId()))
          .toList();
    }
    // whether the server is a member is known only from the portal: checked when the delay ends
    affected.forEach(this::schedule);
  }

  private void portalChanged(PortalKey key) {
    List<PortalKey> affected;
    synchronized (this) {
      affected = listening.keySet().stream().filter(p -> key.equals(PortalKey.EVERYTHING) || p.equals(key)).toList();
    }
    affected.forEach(this::schedule);
  }

  private void schedule(PortalKey key) {
    synchronized (this) {
      if (!pending.add(key)) return;
    }
    vertx.setTimer(COALESCE_MS, t -> {
      synchronized (this) {
        pending.remove(key);
      }
      recheck(key);
    });
  }

  private void recheck(PortalKey key) {
    directory.get(key.accountId(), key.id()).onSuccess(found -> {
      List<Registration> registrations;
      synchronized (this) {
        registrations = List.copyOf(listening.getOrDefault(key, Set.of()));
      }
      for (Registration r : registrations) {
        if (found.isEmpty()) { // the portal is gone: its lists are empty now
          tell(r, 0, 0);
          continue;
        }
        signatures(found.get(), r.client, r.holder).onSuccess(s -> tell(r, s[0], s[1]));
      }
    });
  }

  private static void tell(Registration r, int tools, int prompts) {
    boolean toolsChanged = tools != r.tools;
    boolean promptsChanged = prompts != r.prompts;
    r.tools = tools;
    r.prompts = prompts;
    if (toolsChanged || promptsChanged) r.listener.changed(toolsChanged, promptsChanged);
  }

  /** A hash of the tools and of the prompts the agent sees on the portal now. */
  private Future<int[]> signatures(Portal portal, Agent client, ToggleHolder holder) {
    return members.visible(portal, client, holder).map(loaded -> {
      JsonArray tools = new JsonArray();
      JsonArray prompts = new JsonArray();
      loaded.forEach(m -> {
        tools.addAll(m.view().tools());
        prompts.addAll(m.view().prompts());
      });
      return new int[] {tools.hashCode(), prompts.hashCode()};
    });
  }
}
