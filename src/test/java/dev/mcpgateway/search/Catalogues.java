package dev.mcpgateway.search;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The catalogues the labelled queries run against, named as {@code queries.jsonl} names them. */
final class Catalogues {
  static final String EVERYTHING = "everything";
  static final String PEERS = "peers";
  static final String GENERATED = "generated";
  static final List<String> NAMES = List.of(EVERYTHING, PEERS, GENERATED);

  private Catalogues() {}

  /** Every catalogue by name, in {@link #NAMES} order. */
  static Map<String, List<JsonObject>> all() {
    Map<String, List<JsonObject>> all = new LinkedHashMap<>();
    all.put(EVERYTHING, everything());
    all.put(PEERS, peers());
    all.put(GENERATED, CatalogueGenerator.generate());
    return all;
  }

  /** server-everything's tools as a portal lists them: {@code everything_{name}}. */
  static List<JsonObject> everything() {
    return prefixed("everything", new JsonArray(resource("/search/everything-tools.json")));
  }

  /** The test peers' tools, {@code {server}_{name}}. */
  static List<JsonObject> peers() {
    JsonObject byServer = new JsonObject(resource("/search/peer-tools.json"));
    List<JsonObject> tools = new ArrayList<>();
    for (String server : byServer.fieldNames()) tools.addAll(prefixed(server, byServer.getJsonArray(server)));
    return tools;
  }

  private static List<JsonObject> prefixed(String server, JsonArray tools) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      JsonObject tool = tools.getJsonObject(i).copy();
      out.add(tool.put("name", server + "_" + tool.getString("name")));
    }
    return out;
  }

  static String resource(String path) {
    try (InputStream in = Catalogues.class.getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException(path + " is not on the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
