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
import java.util.Locale;
import java.util.Map;

/**
 * Expands {@code search/catalogue-spec.txt} into the generated 1,000-tool catalogue: 40 servers of a
 * realistic portal, each tool named {@code {server}_{tool}} as a portal lists it. Deterministic (no
 * randomness, spec order), so every run and every machine indexes the same catalogue.
 *
 * <p>An {@code entity} line expands each of its ops with one template (below), which is why near-duplicates
 * compete the way they do in a real portal: {@code github_create_issue}, {@code gitlab_create_issue} and
 * {@code linear_create_issue} differ only in their product words and parameters. A {@code tool} line of the
 * same name replaces the templated tool, keeping its place.
 */
final class CatalogueGenerator {
  static final String SPEC = "/search/catalogue-spec.txt";

  private CatalogueGenerator() {}

  static List<JsonObject> generate() {
    return generate(readSpec());
  }

  static List<JsonObject> generate(String spec) {
    Map<String, JsonObject> tools = new LinkedHashMap<>();
    Server server = null;
    int lineNo = 0;
    for (String raw : spec.split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] cols = columns(line);
      try {
        if (line.startsWith("server ")) {
          server = new Server(cols[0].substring("server ".length()).strip(), cols[1], cols.length > 2 ? cols[2] : "",
              params(cols.length > 3 ? cols[3] : ""));
        } else if (line.startsWith("entity ")) {
          if (server == null) throw new IllegalArgumentException("entity before any server");
          expandEntity(server, cols, tools);
        } else if (line.startsWith("tool ")) {
          if (server == null) throw new IllegalArgumentException("tool before any server");
          String name = cols[0].substring("tool ".length()).strip();
          if (!name.startsWith(server.id + "_")) throw new IllegalArgumentException(name + " lacks the prefix " + server.id + "_");
          tools.put(name, tool(name, cols[1], server.params, params(cols.length > 2 ? cols[2] : "")));
        } else {
          throw new IllegalArgumentException("unknown line");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(SPEC + " line " + lineNo + ": " + e.getMessage() + ": " + line, e);
      }
    }
    return List.copyOf(tools.values());
  }

  private static void expandEntity(Server server, String[] cols, Map<String, JsonObject> tools) {
    String[] head = cols[0].substring("entity ".length()).strip().split("\\s+");
    String[] names = head[0].split("/");
    String singular = names[0];
    String plural = names.length > 1 ? names[1] : singular + "s";
    List<Param> key = params(singular + "_id*:string:ID of the " + phrase(singular));
    for (int i = 1; i < head.length; i++) {
      if (!head[i].startsWith("key=")) throw new IllegalArgumentException("unknown entity option " + head[i]);
      String[] k = head[i].substring(4).split(":");
      key = params(k[0] + "*:" + k[1] + ":The " + phrase(singular) + "'s " + phrase(k[0]).replace(" id", " ID"));
    }
    List<Param> fields = params(cols.length > 2 ? cols[2] : "");
    List<Param> filters = params(cols.length > 3 ? cols[3] : "");
    String e = phrase(singular);
    String es = phrase(plural);
    String scope = server.scope.isEmpty() ? server.product : server.scope;
    for (String op : cols[1].strip().split("\\s+")) {
      List<Param> p = new ArrayList<>();
      String name;
      String description;
      switch (op) {
        case "create" -> {
          name = server.id + "_create_" + singular;
          description = "Create a new " + e + " in " + scope + ".";
          p.addAll(fields);
        }
        case "list" -> {
          name = server.id + "_list_" + plural;
          description = "List " + es + " in " + scope + ", with filters and pagination.";
          p.addAll(filters);
          p.addAll(params("limit:integer:Maximum number of results (1-100); cursor:string:Pagination cursor from the previous page"));
        }
        case "get" -> {
          name = server.id + "_get_" + singular;
          description = "Get " + article(e) + " " + e + " from " + scope + " by ID, with all its details.";
          p.addAll(key);
        }
        case "update" -> {
          name = server.id + "_update_" + singular;
          description = "Update an existing " + e + " in " + scope + "; fields that are not given keep their values.";
          p.addAll(key);
          fields.forEach(f -> p.add(f.optional()));
        }
        case "delete" -> {
          name = server.id + "_delete_" + singular;
          description = "Delete " + article(e) + " " + e + " from " + scope + ". This cannot be undone.";
          p.addAll(key);
        }
        case "search" -> {
          name = server.id + "_search_" + plural;
          description = "Search " + es + " in " + scope + " with a text query.";
          p.addAll(params("query*:string:Search text; limit:integer:Maximum number of results"));
        }
        default -> throw new IllegalArgumentException("unknown op " + op);
      }
      tools.put(name, tool(name, description, server.params, p));
    }
  }

  private static JsonObject tool(String name, String description, List<Param> common, List<Param> own) {
    JsonObject properties = new JsonObject();
    JsonArray required = new JsonArray();
    for (List<Param> group : List.of(common, own)) {
      for (Param p : group) {
        if (properties.containsKey(p.name)) continue;
        properties.put(p.name, p.schema());
        if (p.required) required.add(p.name);
      }
    }
    JsonObject schema = new JsonObject().put("type", "object").put("properties", properties);
    if (!required.isEmpty()) schema.put("required", required);
    return new JsonObject().put("name", name).put("description", description.strip()).put("inputSchema", schema);
  }

  private record Server(String id, String product, String scope, List<Param> params) {}

  private record Param(String name, boolean required, String type, String description) {
    Param optional() {
      return new Param(name, false, type, description);
    }

    JsonObject schema() {
      JsonObject s = new JsonObject();
      int brace = type.indexOf('{');
      if (brace >= 0) {
        s.put("type", type.substring(0, brace));
        s.put("enum", new JsonArray(List.of((Object[]) type.substring(brace + 1, type.length() - 1).split(","))));
      } else if (type.endsWith("[]")) {
        s.put("type", "array").put("items", new JsonObject().put("type", type.substring(0, type.length() - 2)));
      } else {
        s.put("type", type);
      }
      return s.put("description", description);
    }
  }

  private static List<Param> params(String text) {
    List<Param> out = new ArrayList<>();
    for (String part : text.split(";")) {
      String p = part.strip();
      if (p.isEmpty()) continue;
      String[] f = p.split(":", 3);
      if (f.length != 3) throw new IllegalArgumentException("bad param " + p);
      boolean required = f[0].endsWith("*");
      out.add(new Param(required ? f[0].substring(0, f[0].length() - 1) : f[0], required, f[1].strip(), f[2].strip()));
    }
    return out;
  }

  private static String[] columns(String line) {
    String[] cols = line.split("\\|", -1);
    for (int i = 0; i < cols.length; i++) cols[i] = cols[i].strip();
    return cols;
  }

  private static String phrase(String id) {
    return id.replace('_', ' ');
  }

  private static String article(String word) {
    return "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
  }

  static String readSpec() {
    try (InputStream in = CatalogueGenerator.class.getResourceAsStream(SPEC)) {
      if (in == null) throw new IllegalStateException(SPEC + " is not on the classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prints the catalogue as a JSON array (for a look, or for another benchmark to index). */
  public static void main(String[] args) {
    List<JsonObject> tools = generate();
    if (args.length > 0 && args[0].equals("--count")) {
      Map<String, Integer> perServer = new LinkedHashMap<>();
      for (JsonObject t : tools) perServer.merge(t.getString("name").split("_", 2)[0], 1, Integer::sum);
      perServer.forEach((s, n) -> System.out.println(String.format(Locale.ROOT, "%-18s %d", s, n)));
      System.out.println("servers " + perServer.size() + ", tools " + tools.size());
      return;
    }
    System.out.println(new JsonArray(new ArrayList<>(tools)).encodePrettily());
  }
}
