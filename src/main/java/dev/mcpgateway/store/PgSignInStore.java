package dev.mcpgateway.store;

import static dev.mcpgateway.store.PgFailures.translate;

import dev.mcpgateway.model.SignInClient;
import dev.mcpgateway.model.SignInCredential;
import dev.mcpgateway.model.SignInGrant;
import dev.mcpgateway.model.SignInKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL store's authorization-server state (migration V10): tables {@code signin_clients},
 * {@code signin_grants} (the grant's document, with its expiry and revocation as columns),
 * {@code signin_credentials} (a row per code or refresh token, by hash, cascading with its grant)
 * and {@code signin_keys}. A redemption locks the credential's row and its grant's
 * ({@code SELECT … FOR UPDATE}) in one transaction: of two replicas redeeming one code at once, the
 * second sees it used — a replay — and revokes the grant.
 */
final class PgSignInStore implements SignInStore {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String HELD = "SELECT c.hash, c.kind, c.grant_id, c.expires_at, c.used_at, c.redirect_uri, c.code_challenge, "
      + "g.doc::text, g.expires_at, g.revoked_at FROM signin_credentials c JOIN signin_grants g ON g.grant_id = c.grant_id WHERE c.hash = $1";

  private final Pool pool;

  PgSignInStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> addClient(SignInClient client) {
    return translate(pool.preparedQuery("INSERT INTO signin_clients (client_id, created_at, doc) VALUES ($1, $2, $3)")
        .execute(Tuple.of(client.id(), at(client.createdAt()), client.toJson())).mapEmpty());
  }

  @Override
  public Future<Long> clientCount() {
    return translate(pool.query("SELECT count(*) FROM signin_clients").execute().map(rows -> rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<Optional<SignInClient>> client(String clientId) {
    return translate(pool.preparedQuery("SELECT doc::text FROM signin_clients WHERE client_id = $1").execute(Tuple.of(clientId))
        .map(rows -> rows.size() == 0 ? Optional.<SignInClient>empty()
            : Optional.of(SignInClient.fromJson(new JsonObject(rows.iterator().next().getString(0))))));
  }

  @Override
  public Future<Void> openGrant(SignInGrant grant, SignInCredential code) {
    return translate(pool.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO signin_grants (grant_id, doc, expires_at, revoked_at) VALUES ($1, $2, $3, $4)")
        .execute(Tuple.of(grant.id(), grant.toJson(), at(grant.expiresAt()), at(grant.revokedAt())))
        .compose(r -> insert(conn, code)))
        .recover(e -> PgFailures.violates(e, UNIQUE_VIOLATION, "signin_grants_pkey")
            ? Future.failedFuture(new DuplicateGrantException(grant.id())) : Future.failedFuture(e)));
  }

  @Override
  public Future<Optional<Held>> find(String hash) {
    return translate(pool.preparedQuery(HELD).execute(Tuple.of(hash))
        .map(rows -> rows.size() == 0 ? Optional.<Held>empty() : Optional.of(held(rows.iterator().next()))));
  }

  @Override
  public Future<Redemption> redeem(String hash, Instant now, SignInCredential next) {
    return translate(pool.withTransaction(conn -> conn.preparedQuery(HELD + " FOR UPDATE").execute(Tuple.of(hash)).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture(new Redemption(Outcome.UNKNOWN, null));
      Held held = held(rows.iterator().next());
      SignInGrant grant = held.grant();
      if (held.credential().usedAt() != null) {
        SignInGrant revoked = grant.revokedAt(now);
        return (grant.revoked() ? Future.succeededFuture() : revoke(conn, grant.id(), now))
            .map(v -> new Redemption(Outcome.REPLAYED, revoked));
      }
      if (grant.revoked()) return Future.succeededFuture(new Redemption(Outcome.REVOKED, grant));
      if (!held.credential().expiresAt().isAfter(now)) return Future.succeededFuture(new Redemption(Outcome.EXPIRED, grant));
      SignInGrant kept = next == null ? grant : grant.keptUntil(next.expiresAt());
      Future<?> used = conn.preparedQuery("UPDATE signin_credentials SET used_at = $2 WHERE hash = $1").execute(Tuple.of(hash, at(now)));
      if (next != null) {
        used = used.compose(r -> insert(conn, next))
            .compose(r -> conn.preparedQuery("UPDATE signin_grants SET expires_at = $2 WHERE grant_id = $1")
                .execute(Tuple.of(grant.id(), at(kept.expiresAt()))));
      }
      return used.map(r -> new Redemption(Outcome.REDEEMED, kept));
    })));
  }

  @Override
  public Future<Boolean> revokeGrant(String grantId, Instant now) {
    return translate(pool.preparedQuery("UPDATE signin_grants SET revoked_at = COALESCE(revoked_at, $2) WHERE grant_id = $1")
        .execute(Tuple.of(grantId, at(now))).map(rows -> rows.rowCount() > 0));
  }

  @Override
  public Future<Integer> purgeExpired(Instant now) {
    return translate(pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM signin_credentials WHERE expires_at <= $1")
        .execute(Tuple.of(at(now)))
        .compose(r -> conn.preparedQuery("DELETE FROM signin_grants WHERE expires_at <= $1").execute(Tuple.of(at(now))))
        .map(rows -> rows.rowCount())));
  }

  @Override
  public Future<List<SignInKey>> keys() {
    return translate(pool.query("SELECT doc::text FROM signin_keys ORDER BY created_at, kid").execute().map(rows -> {
      List<SignInKey> keys = new ArrayList<>();
      for (Row row : rows) keys.add(SignInKey.fromJson(new JsonObject(row.getString(0))));
      return keys;
    }));
  }

  @Override
  public Future<Void> addKey(SignInKey key) {
    return translate(pool.preparedQuery("INSERT INTO signin_keys (kid, created_at, doc) VALUES ($1, $2, $3)")
        .execute(Tuple.of(key.kid(), at(key.createdAt()), key.toJson())).mapEmpty());
  }

  @Override
  public Future<Void> removeKey(String kid) {
    return translate(pool.preparedQuery("DELETE FROM signin_keys WHERE kid = $1").execute(Tuple.of(kid)).mapEmpty());
  }

  private static Future<Void> insert(SqlConnection conn, SignInCredential c) {
    return conn.preparedQuery("INSERT INTO signin_credentials (hash, grant_id, kind, expires_at, used_at, redirect_uri, code_challenge) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .execute(Tuple.from(new Object[] {c.hash(), c.grantId(), c.kind().wire(), at(c.expiresAt()), at(c.usedAt()), c.redirectUri(),
            c.codeChallenge()}))
        .mapEmpty();
  }

  private static Future<Void> revoke(SqlConnection conn, String grantId, Instant now) {
    return conn.preparedQuery("UPDATE signin_grants SET revoked_at = $2 WHERE grant_id = $1").execute(Tuple.of(grantId, at(now))).mapEmpty();
  }

  private static Held held(Row row) {
    SignInCredential credential = new SignInCredential(row.getString(0), SignInCredential.Kind.fromWire(row.getString(1)),
        row.getString(2), instant(row.getOffsetDateTime(3)), instant(row.getOffsetDateTime(4)), row.getString(5), row.getString(6));
    SignInGrant stored = SignInGrant.fromJson(new JsonObject(row.getString(7)));
    SignInGrant grant = new SignInGrant(stored.id(), stored.clientId(), stored.user(), stored.resource(), stored.scope(), stored.createdAt(),
        instant(row.getOffsetDateTime(8)), instant(row.getOffsetDateTime(9)));
    return new Held(credential, grant);
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
