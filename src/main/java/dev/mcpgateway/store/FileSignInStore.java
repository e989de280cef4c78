package dev.mcpgateway.store;

import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.model.SignInCredential;
import dev.mcpgateway.model.SignInGrant;
import dev.mcpgateway.model.SignInKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The embedded store's authorization-server state, under {@code <dataDir>/sign-in/}:
 * {@code clients/<client id>.json} ({@link SignInClient#toJson}), {@code grants/<grant id>.json} (a
 * grant with all its credentials, {@code {"grant", "credentials"}}: one file, so a redemption —
 * mark one used, add the next, extend the grant — is one atomic replace) and {@code keys/<kid>.json}.
 * Owner-only files written atomically on the embedded store's {@link SingleWriter}, which makes
 * every redemption atomic; all held in memory for reads.
 */
final class FileSignInStore implements SignInStore {
  private static final String SUFFIX = ".json";
  private static final String TEMP_SUFFIX = ".tmp";

  /** A grant with its credentials by hash, as one file holds them. */
  private record GrantFile(SignInGrant grant, Map<String, SignInCredential> credentials) {
    JsonObject toJson() {
      JsonArray list = new JsonArray();
      credentials.values().forEach(c -> list.add(c.toJson()));
      return new JsonObject().put("grant", grant.toJson()).put("credentials", list);
    }

    static GrantFile fromJson(JsonObject json) {
      Map<String, SignInCredential> credentials = new LinkedHashMap<>();
      for (Object item : json.getJsonArray("credentials")) {
        SignInCredential credential = SignInCredential.fromJson((JsonObject) item);
        credentials.put(credential.hash(), credential);
      }
      return new GrantFile(SignInGrant.fromJson(json.getJsonObject("grant")), credentials);
    }
  }

  private final Path clientsDir;
  private final Path grantsDir;
  private final Path keysDir;
  private final SingleWriter writer;
  private final Map<String, SignInClient> clients = new ConcurrentHashMap<>();
  private final Map<String, GrantFile> grants = new ConcurrentHashMap<>();
  private final Map<String, String> grantByHash = new ConcurrentHashMap<>();
  private final Map<String, SignInKey> keys = new ConcurrentHashMap<>();

  private FileSignInStore(Path root, SingleWriter writer) {
    this.clientsDir = root.resolve("clients");
    this.grantsDir = root.resolve("grants");
    this.keysDir = root.resolve("keys");
    this.writer = writer;
  }

  /** Loads everything under {@code root} (blocking: on the writer). */
  static FileSignInStore load(Path root, SingleWriter writer) throws IOException {
    FileSignInStore store = new FileSignInStore(root, writer);
    for (JsonObject json : documents(store.clientsDir)) {
      SignInClient client = SignInClient.fromJson(json);
      store.clients.put(client.id(), client);
    }
    for (JsonObject json : documents(store.grantsDir)) store.remember(GrantFile.fromJson(json));
    for (JsonObject json : documents(store.keysDir)) {
      SignInKey key = SignInKey.fromJson(json);
      store.keys.put(key.kid(), key);
    }
    return store;
  }

  @Override
  public Future<Void> addClient(SignInClient client) {
    return writer.write(() -> {
      write(clientsDir, client.id(), client.toJson());
      clients.put(client.id(), client);
      return null;
    });
  }

  @Override
  public Future<Long> clientCount() {
    return writer.answer((long) clients.size());
  }

  @Override
  public Future<Optional<SignInClient>> client(String clientId) {
    return writer.answer(Optional.ofNullable(clientId == null ? null : clients.get(clientId)));
  }

  @Override
  public Future<Void> openGrant(SignInGrant grant, SignInCredential code) {
    return writer.write(() -> {
      if (grants.containsKey(grant.id())) throw new DuplicateGrantException(grant.id());
      Map<String, SignInCredential> credentials = new LinkedHashMap<>();
      credentials.put(code.hash(), code);
      save(new GrantFile(grant, credentials));
      return null;
    });
  }

  @Override
  public Future<Optional<Held>> find(String hash) {
    String grantId = hash == null ? null : grantByHash.get(hash);
    GrantFile file = grantId == null ? null : grants.get(grantId);
    return writer.answer(file == null ? Optional.empty() : Optional.of(new Held(file.credentials().get(hash), file.grant())));
  }

  @Override
  public Future<Redemption> redeem(String hash, Instant now, SignInCredential next) {
    return writer.write(() -> {
      String grantId = grantByHash.get(hash);
      GrantFile file = grantId == null ? null : grants.get(grantId);
      if (file == null) return new Redemption(Outcome.UNKNOWN, null);
      SignInCredential credential = file.credentials().get(hash);
      if (credential.usedAt() != null) {
        GrantFile revoked = new GrantFile(file.grant().revokedAt(now), file.credentials());
        if (!file.grant().revoked()) save(revoked);
        return new Redemption(Outcome.REPLAYED, revoked.grant());
      }
      if (file.grant().revoked()) return new Redemption(Outcome.REVOKED, file.grant());
      if (!credential.expiresAt().isAfter(now)) return new Redemption(Outcome.EXPIRED, file.grant());
      Map<String, SignInCredential> credentials = new LinkedHashMap<>(file.credentials());
      credentials.put(hash, credential.usedAt(now));
      SignInGrant grant = file.grant();
      if (next != null) {
        credentials.put(next.hash(), next);
        grant = grant.keptUntil(next.expiresAt());
      }
      save(new GrantFile(grant, credentials));
      return new Redemption(Outcome.REDEEMED, grant);
    });
  }

  @Override
  public Future<Boolean> revokeGrant(String grantId, Instant now) {
    return writer.write(() -> {
      GrantFile file = grantId == null ? null : grants.get(grantId);
      if (file == null) return false;
      if (!file.grant().revoked()) save(new GrantFile(file.grant().revokedAt(now), file.credentials()));
      return true;
    });
  }

  @Override
  public Future<Integer> purgeExpired(Instant now) {
    return writer.write(() -> {
      int removed = 0;
      for (GrantFile file : List.copyOf(grants.values())) {
        if (!file.grant().expiresAt().isAfter(now)) {
          Files.deleteIfExists(grantsDir.resolve(file.grant().id() + SUFFIX));
          DurableFiles.fsyncDirectory(grantsDir);
          grants.remove(file.grant().id());
          file.credentials().keySet().forEach(grantByHash::remove);
          removed++;
          continue;
        }
        Map<String, SignInCredential> live = new LinkedHashMap<>(file.credentials());
        live.values().removeIf(c -> !c.expiresAt().isAfter(now));
        if (live.size() < file.credentials().size()) {
          save(new GrantFile(file.grant(), live));
          file.credentials().keySet().stream().filter(h -> !live.containsKey(h)).forEach(grantByHash::remove);
        }
      }
      return removed;
    });
  }

  @Override
  public Future<List<SignInKey>> keys() {
    return writer.answer(keys.values().stream().sorted(Comparator.comparing(SignInKey::createdAt).thenComparing(SignInKey::kid)).toList());
  }

  @Override
  public Future<Void> addKey(SignInKey key) {
    return writer.write(() -> {
      write(keysDir, key.kid(), key.toJson());
      keys.put(key.kid(), key);
      return null;
    });
  }

  @Override
  public Future<Void> removeKey(String kid) {
    return writer.write(() -> {
      if (keys.containsKey(kid) && Files.deleteIfExists(keysDir.resolve(AccountDocuments.safeSegment(kid) + SUFFIX))) {
        DurableFiles.fsyncDirectory(keysDir);
      }
      keys.remove(kid);
      return null;
    });
  }

  /** Blocking: on the writer. Memory follows the disk. */
  private void save(GrantFile file) throws IOException {
    write(grantsDir, file.grant().id(), file.toJson());
    remember(file);
  }

  private void remember(GrantFile file) {
    grants.put(file.grant().id(), file);
    file.credentials().keySet().forEach(hash -> grantByHash.put(hash, file.grant().id()));
  }

  private static void write(Path dir, String id, JsonObject json) throws IOException {
    if (!Files.isDirectory(dir)) {
      DurableFiles.createPrivateDirectory(dir.getParent());
      DurableFiles.createPrivateDirectory(dir);
      DurableFiles.fsyncDirectory(dir.getParent());
    }
    DurableFiles.writeAtomically(dir, AccountDocuments.safeSegment(id) + SUFFIX, json.toBuffer().getBytes(), TEMP_SUFFIX);
  }

  /** Every document in {@code dir}, dropping the temp files a crash left (blocking). A corrupt one stops the start, named. */
  private static List<JsonObject> documents(Path dir) throws IOException {
    List<JsonObject> documents = new ArrayList<>();
    if (!Files.isDirectory(dir)) return documents;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
          Files.deleteIfExists(file); // a write cut short by a crash: never acknowledged
        } else if (name.endsWith(SUFFIX)) {
          try {
            documents.add(new JsonObject(Files.readString(file)));
          } catch (RuntimeException e) {
            throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
          }
        }
      }
    }
    return documents;
  }
}
