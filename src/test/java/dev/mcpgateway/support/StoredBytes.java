package dev.mcpgateway.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Everything a store holds, as text: for checking that a secret is kept nowhere, in either store. */
public final class StoredBytes {
  private StoredBytes() {}

  /** Every file under the embedded store's data directory, read as text and joined. */
  public static String files(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      return files.filter(Files::isRegularFile).map(f -> {
        try {
          return Files.readString(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).collect(Collectors.joining("\n"));
    }
  }

  /** Every row of every table of a PostgreSQL schema, one JSON object per line. */
  public static String postgres(Vertx vertx, String schema) {
    return Postgres.sql(vertx, pool -> pool.preparedQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = $1")
        .execute(Tuple.of(schema))
        .compose(tables -> {
          List<Future<String>> dumps = new ArrayList<>();
          for (Row table : tables) {
            dumps.add(pool.query("SELECT coalesce(string_agg(row_to_json(t)::text, E'\\n'), '') FROM " + schema + "."
                + table.getString(0) + " t").execute().map(rows -> rows.iterator().next().getString(0)));
          }
          return Future.all(dumps).map(all -> String.join("\n", all.<String>list()));
        }));
  }
}
