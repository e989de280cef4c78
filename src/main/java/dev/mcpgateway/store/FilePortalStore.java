package dev.mcpgateway.store;

import dev.mcpgateway.model.Portal;
import dev.mcpgateway.model.PortalKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The embedded store's portals: one JSON file per portal ({@link Portal#toJson}) under
 * {@code <dataDir>/portals/<account>/}, written as {@link FileServerStore} writes servers (same
 * {@link SingleWriter}, {@link DurableFiles#writeAtomically}, memory changed only once the write is
 * durable). Every portal is also in memory, indexed three ways: by (account, id), by lower-cased
 * hostname across accounts, and by member server ({@link PortalMembership}).
 *
 * <p>Integrity: every check runs in the same writer task as the write it guards, so nothing can
 * come between them. Hostnames are checked against the index; members against
 * {@link FileServerStore}'s memory, which also changes only on the writer; and a server's delete
 * asks the membership index on the writer too.
 */
final class FilePortalStore implements PortalStore {
  private static final System.Logger LOG = System.getLogger(FilePortalStore.class.getName());

  private final AccountDocuments files;
  private final SingleWriter writer;
  private final FileServerStore servers;
  private final PortalMembership membership;
  private final Map<String, NavigableMap<String, Portal>> byAccount = new ConcurrentHashMap<>();
  private final Map<String, PortalKey> byHostname = new ConcurrentHashMap<>();
  private final List<Consumer<PortalKey>> listeners = new CopyOnWriteArrayList<>();
  private final List<Dependent> dependents = new CopyOnWriteArrayList<>();

  /** What goes with a deleted portal (its toggles): told on the writer, inside the delete, before the portal's file goes. */
  @FunctionalInterface
  interface Dependent {
    void portalDeleted(String accountId, String id) throws IOException;
  }

  private FilePortalStore(Path portalsDir, SingleWriter writer, FileServerStore servers, PortalMembership membership) {
    this.files = new AccountDocuments(portalsDir);
    this.writer = writer;
    this.servers = servers;
    this.membership = membership;
  }

  /** Opens (creating if needed) the portals in {@code portalsDir} and indexes every one. Blocking: on the writer, after the servers. */
  static FilePortalStore load(Path portalsDir, SingleWriter writer, FileServerStore servers, PortalMembership membership) throws IOException {
    FilePortalStore store = new FilePortalStore(portalsDir, writer, servers, membership);
    store.load();
    return store;
  }

  void addDependent(Dependent dependent) {
    dependents.add(dependent);
  }

  /** Whether the portal exists now. On the writer, for checks atomic with a write. */
  boolean exists(String accountId, String id) {
    return existing(accountId, id) != null;
  }

  @Override
  public void onChange(Consumer<PortalKey> listener) {
    listeners.add(listener);
  }

  private Portal changed(Portal portal) {
    PortalKey key = portal.key();
    listeners.forEach(l -> l.accept(key));
    return portal;
  }

  @Override
  public Future<Portal> create(Portal portal) {
    return writer.write(() -> {
      if (existing(portal.accountId(), portal.id()) != null) throw new DuplicatePortalException(portal.accountId(), portal.id());
      checkIntegrity(portal);
      write(portal);
      index(null, portal);
      return portal;
    }).map(this::changed);
  }

  @Override
  public Future<Portal> get(String accountId, String id) {
    Portal portal = existing(accountId, id);
    return portal == null ? Future.failedFuture(new PortalNotFoundException(accountId, id)) : Future.succeededFuture(portal);
  }

  @Override
  public Future<Portal> update(String accountId, String id, UnaryOperator<Portal> change) {
    return writer.write(() -> {
      Portal current = existing(accountId, id);
      if (current == null) throw new PortalNotFoundException(accountId, id);
      Portal next = change.apply(current);
      if (!next.accountId().equals(accountId) || !next.id().equals(id)) {
        throw new IllegalArgumentException("an update may not change a portal's account or id");
      }
      checkIntegrity(next);
      write(next);
      index(current, next);
      return next;
    }).map(this::changed);
  }

  @Override
  public Future<Portal> delete(String accountId, String id) {
    return writer.write(() -> {
      Portal current = existing(accountId, id);
      if (current == null) throw new PortalNotFoundException(accountId, id);
      // dependents first: a failure leaves the portal (with some of its toggles gone, which only switches members back on)
      for (Dependent dependent : dependents) dependent.portalDeleted(accountId, id);
      files.delete(accountId, id);
      index(current, null);
      return current;
    }).map(this::changed);
  }

  @Override
  public Future<PortalPage> list(String accountId, PortalQuery query) {
    NavigableMap<String, Portal> portals = byAccount.getOrDefault(accountId, new ConcurrentSkipListMap<>());
    List<Portal> matching = portals.values().stream().filter(query::matches).toList();
    List<Portal> page = matching.stream().skip(query.offset()).limit(query.perPage()).toList();
    return Future.succeededFuture(new PortalPage(page, matching.size()));
  }

  @Override
  public Future<Optional<Portal>> byHostname(String hostname) {
    PortalKey key = byHostname.get(lower(hostname));
    return Future.succeededFuture(key == null ? Optional.empty() : Optional.ofNullable(existing(key.accountId(), key.id())));
  }

  @Override
  public Future<List<String>> usingServer(String accountId, String serverId) {
    return Future.succeededFuture(membership.portalsUsing(accountId, serverId));
  }

  /** The hostname is no other portal's and every member exists in the portal's account. On the writer. */
  private void checkIntegrity(Portal portal) {
    PortalKey holder = byHostname.get(lower(portal.hostname()));
    if (holder != null && !holder.equals(portal.key())) throw new PortalHostnameTakenException(portal.hostname());
    for (int i = 0; i < portal.servers().size(); i++) {
      String serverId = portal.servers().get(i).serverId();
      if (!servers.exists(portal.accountId(), serverId)) throw new PortalMemberMissingException(serverId, i);
    }
  }

  /** Moves every index from {@code before} to {@code after} (either may be null). On the writer, after the write is durable. */
  private void index(Portal before, Portal after) {
    if (after != null) {
      accountPortals(after.accountId()).put(after.id(), after);
      byHostname.put(lower(after.hostname()), after.key());
    } else {
      accountPortals(before.accountId()).remove(before.id());
    }
    if (before != null && (after == null || !lower(before.hostname()).equals(lower(after.hostname())))) {
      byHostname.remove(lower(before.hostname()), before.key());
    }
    membership.replace(before, after);
  }

  private static String lower(String hostname) {
    return hostname.toLowerCase(Locale.ROOT);
  }

  private Portal existing(String accountId, String id) {
    NavigableMap<String, Portal> portals = byAccount.get(accountId);
    return portals == null ? null : portals.get(id);
  }

  private NavigableMap<String, Portal> accountPortals(String accountId) {
    return byAccount.computeIfAbsent(accountId, a -> new ConcurrentSkipListMap<>());
  }

  private void write(Portal portal) throws IOException {
    files.write(portal.accountId(), portal.id(), portal.toJson().toBuffer().getBytes());
  }

  private void load() throws IOException {
    files.load(this::loadDocument);
  }

  private void loadDocument(Path file, JsonObject document) {
    Portal portal = Portal.fromJson(document);
    // The indexes are keyed by what the document says: a document that contradicts its place, or
    // takes a hostname another file holds, would break them.
    if (!AccountDocuments.isPlaceOf(file, portal.accountId(), portal.id())) {
      throw new IllegalStateException("cannot load " + file + ": it holds portal " + portal.accountId() + "/" + portal.id());
    }
    PortalKey holder = byHostname.get(lower(portal.hostname()));
    if (holder != null) {
      throw new IllegalStateException("cannot load " + file + ": hostname " + portal.hostname() + " is portal " + holder.accountId() + "/"
          + holder.id() + "'s too");
    }
    for (var member : portal.servers()) {
      if (!servers.exists(portal.accountId(), member.serverId())) {
        LOG.log(System.Logger.Level.WARNING, file + " has a member server that does not exist: " + member.serverId());
      }
    }
    index(null, portal);
  }
}
