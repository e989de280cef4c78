package dev.mcpgateway.store;

import dev.mcpgateway.model.ServiceToken;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The embedded store's service tokens: one owner-only JSON file per token
 * ({@link StoredServiceTokenJson}: hashes, never a secret) under
 * {@code <dataDir>/service-tokens/<account>/<id>.json}, written as servers and portals are
 * ({@link AccountDocuments} on the {@link SingleWriter}; memory changes once the write is durable).
 * All held in memory, by (account, id) and by client id, so authenticating an agent reads no file.
 */
final class FileServiceTokens implements ServiceTokenStore {
  static final Comparator<ServiceToken> ORDER = Comparator.comparing(ServiceToken::createdAt).thenComparing(ServiceToken::id);

  private final AccountDocuments files;
  private final SingleWriter writer;
  /** "account/id" → token. */
  private final Map<String, ServiceToken> byKey = new ConcurrentHashMap<>();
  private final Map<String, ServiceToken> byClientId = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  private FileServiceTokens(Path root, SingleWriter writer) {
    this.files = new AccountDocuments(root);
    this.writer = writer;
  }

  /** Opens (creating if needed) the tokens under {@code root}. Blocking: on the writer. */
  static FileServiceTokens load(Path root, SingleWriter writer) throws IOException {
    FileServiceTokens tokens = new FileServiceTokens(root, writer);
    tokens.files.load(tokens::loadDocument);
    return tokens;
  }

  @Override
  public Future<ServiceToken> create(ServiceToken token) {
    return writer.write(() -> {
      if (byKey.containsKey(key(token.accountId(), token.id())) || byClientId.containsKey(token.clientId())
          || byKey.values().stream().anyMatch(t -> t.id().equals(token.id()))) {
        throw new DuplicateServiceTokenException(token.id());
      }
      write(token);
      index(null, token);
      return token;
    }).map(this::changed);
  }

  @Override
  public Future<ServiceToken> get(String accountId, String id) {
    ServiceToken token = byKey.get(key(accountId, id));
    if (token == null && !writer.closed()) return Future.failedFuture(new ServiceTokenNotFoundException(accountId, id));
    return writer.answer(token);
  }

  @Override
  public Future<Optional<ServiceToken>> byClientId(String clientId) {
    return writer.answer(Optional.ofNullable(byClientId.get(clientId)));
  }

  @Override
  public Future<List<ServiceToken>> list(String accountId) {
    return writer.answer(byKey.values().stream().filter(t -> t.accountId().equals(accountId)).sorted(ORDER).toList());
  }

  @Override
  public Future<ServiceToken> update(String accountId, String id, UnaryOperator<ServiceToken> change) {
    return writer.write(() -> {
      ServiceToken current = existing(accountId, id);
      ServiceToken next = change.apply(current);
      if (!next.accountId().equals(accountId) || !next.id().equals(id) || !next.clientId().equals(current.clientId())) {
        throw new IllegalArgumentException("an update may not change a service token's account, id or client id");
      }
      write(next);
      index(current, next);
      return next;
    }).map(this::changed);
  }

  @Override
  public Future<ServiceToken> delete(String accountId, String id) {
    return writer.write(() -> {
      ServiceToken current = existing(accountId, id);
      files.delete(accountId, id);
      index(current, null);
      return current;
    }).map(this::changed);
  }

  @Override
  public Future<Void> markSeen(String accountId, String id, Instant at) {
    return writer.write(() -> {
      ServiceToken current = byKey.get(key(accountId, id));
      // as PostgreSQL's GREATEST: a late writer with an older time does not move it back
      if (current == null || current.lastSeenAt() != null && !at.isAfter(current.lastSeenAt())) return null;
      ServiceToken seen = current.withLastSeenAt(at);
      write(seen);
      index(current, seen);
      return null;
    });
  }

  @Override
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  private ServiceToken changed(ServiceToken token) {
    listeners.forEach(l -> l.accept(token.clientId()));
    return token;
  }

  /** On the writer. */
  private ServiceToken existing(String accountId, String id) {
    ServiceToken current = byKey.get(key(accountId, id));
    if (current == null) throw new ServiceTokenNotFoundException(accountId, id);
    return current;
  }

  /** Moves both indexes from {@code before} to {@code after} (either may be null). On the writer, after the write is durable. */
  private void index(ServiceToken before, ServiceToken after) {
    if (before != null) {
      byKey.remove(key(before.accountId(), before.id()));
      byClientId.remove(before.clientId());
    }
    if (after != null) {
      byKey.put(key(after.accountId(), after.id()), after);
      byClientId.put(after.clientId(), after);
    }
  }

  private void write(ServiceToken token) throws IOException {
    files.write(token.accountId(), token.id(), StoredServiceTokenJson.encode(token).toBuffer().getBytes());
  }

  private void loadDocument(Path file, JsonObject document) {
    ServiceToken token = StoredServiceTokenJson.decode(document);
    if (!AccountDocuments.isPlaceOf(file, token.accountId(), token.id())) {
      throw new IllegalStateException("cannot load " + file + ": it holds service token " + token.accountId() + "/" + token.id());
    }
    if (byClientId.containsKey(token.clientId())) {
      throw new IllegalStateException("cannot load " + file + ": its client id is another token's too");
    }
    index(null, token);
  }

  private static String key(String accountId, String id) {
    return accountId + "/" + id;
  }
}
