package dev.mcpgateway.store;

import dev.mcpgateway.policy.AccessPolicy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The embedded store's access policies: one JSON file per policy under
 * {@code <dataDir>/policies/<account>/}, written as portals are (the shared {@link SingleWriter},
 * atomic durable writes, memory changed only once the write is durable), every policy in memory.
 */
final class FilePolicyStore implements PolicyStore {
  static final Comparator<AccessPolicy> EVALUATION_ORDER = Comparator.comparing(AccessPolicy::createdAt).thenComparing(AccessPolicy::id);

  private final AccountDocuments files;
  private final SingleWriter writer;
  private final Map<String, Map<String, AccessPolicy>> byAccount = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  private FilePolicyStore(Path dir, SingleWriter writer) {
    this.files = new AccountDocuments(dir);
    this.writer = writer;
  }

  /** Opens (creating if needed) the policies in {@code dir}. Blocking: on the writer. */
  static FilePolicyStore load(Path dir, SingleWriter writer) throws IOException {
    FilePolicyStore store = new FilePolicyStore(dir, writer);
    store.files.load(store::loadDocument);
    return store;
  }

  @Override
  public Future<AccessPolicy> create(AccessPolicy policy) {
    return writer.write(() -> {
      if (existing(policy.accountId(), policy.id()) != null) throw new DuplicatePolicyException(policy.accountId(), policy.id());
      write(policy);
      return policy;
    }).map(this::changed);
  }

  @Override
  public Future<AccessPolicy> get(String accountId, String id) {
    AccessPolicy policy = existing(accountId, id);
    return policy == null ? Future.failedFuture(new PolicyNotFoundException(accountId, id)) : Future.succeededFuture(policy);
  }

  @Override
  public Future<AccessPolicy> update(String accountId, String id, UnaryOperator<AccessPolicy> change) {
    return writer.write(() -> {
      AccessPolicy current = existing(accountId, id);
      if (current == null) throw new PolicyNotFoundException(accountId, id);
      AccessPolicy next = change.apply(current);
      if (!next.accountId().equals(accountId) || !next.id().equals(id)) {
        throw new IllegalArgumentException("an update may not change a policy's account or id");
      }
      write(next);
      return next;
    }).map(this::changed);
  }

  @Override
  public Future<AccessPolicy> delete(String accountId, String id) {
    return writer.write(() -> {
      AccessPolicy current = existing(accountId, id);
      if (current == null) throw new PolicyNotFoundException(accountId, id);
      files.delete(accountId, id);
      byAccount.get(accountId).remove(id);
      return current;
    }).map(this::changed);
  }

  @Override
  public Future<List<AccessPolicy>> list(String accountId) {
    List<AccessPolicy> policies = new ArrayList<>(byAccount.getOrDefault(accountId, Map.of()).values());
    policies.sort(EVALUATION_ORDER);
    return Future.succeededFuture(List.copyOf(policies));
  }

  @Override
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  private AccessPolicy changed(AccessPolicy policy) {
    listeners.forEach(l -> l.accept(policy.accountId()));
    return policy;
  }

  private AccessPolicy existing(String accountId, String id) {
    Map<String, AccessPolicy> policies = byAccount.get(accountId);
    return policies == null ? null : policies.get(id);
  }

  /** Durably, then in memory. On the writer. */
  private void write(AccessPolicy policy) throws IOException {
    files.write(policy.accountId(), policy.id(), policy.toJson().toBuffer().getBytes());
    byAccount.computeIfAbsent(policy.accountId(), a -> new ConcurrentHashMap<>()).put(policy.id(), policy);
  }

  private void loadDocument(Path file, JsonObject document) {
    AccessPolicy policy = AccessPolicy.fromJson(document);
    if (!AccountDocuments.isPlaceOf(file, policy.accountId(), policy.id())) {
      throw new IllegalStateException("cannot load " + file + ": it holds policy " + policy.accountId() + "/" + policy.id());
    }
    byAccount.computeIfAbsent(policy.accountId(), a -> new ConcurrentHashMap<>()).put(policy.id(), policy);
  }
}
