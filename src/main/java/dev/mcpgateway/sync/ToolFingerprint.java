package dev.mcpgateway.sync;

import dev.mcpgateway.model.McpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Tool-definition drift ("rug pull") protection. A tool's fingerprint is the SHA-256 of the fields
 * that tell an agent what the tool does — name, title, description, input and output schemas,
 * annotations — in canonical JSON (sorted keys). The first time a tool is seen its fingerprint is
 * accepted; when a later sync finds a different one, the tool is held back from agents (absent
 * from lists, calls refused) until an admin accepts the change — unless the server's
 * {@code hold_changed_tools} is off. Held tools are derived, never stored: they are the synced
 * tools whose fingerprint differs from the accepted one.
 */
public final class ToolFingerprint {
  private static final List<String> FIELDS = List.of("name", "title", "description", "inputSchema", "outputSchema", "annotations");

  private ToolFingerprint() {}

  public static String of(JsonObject tool) {
    TreeMap<String, Object> canonical = new TreeMap<>();
    for (String field : FIELDS) if (tool.containsKey(field)) canonical.put(field, canonicalize(tool.getValue(field)));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(new JsonObject(new java.util.LinkedHashMap<>(canonical)).encode()
          .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object canonicalize(Object value) {
    if (value instanceof JsonObject object) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      object.forEach(e -> sorted.put(e.getKey(), canonicalize(e.getValue())));
      return new JsonObject(new java.util.LinkedHashMap<>(sorted));
    }
    if (value instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      array.forEach(item -> out.add(canonicalize(item)));
      return out;
    }
    return value;
  }

  /**
   * The accepted fingerprints after a sync fetched {@code tools}: new tools are accepted; a known
   * tool keeps its accepted fingerprint when holding is on (so a changed one stays held), or takes
   * the new one when it is off. Fingerprints of tools that left are kept: a tool removed and later
   * brought back changed is still held.
   */
  public static Map<String, String> afterSync(McpServer server, JsonArray tools) {
    Map<String, String> accepted = new HashMap<>(server.acceptedToolHashes());
    for (Object item : tools) {
      if (!(item instanceof JsonObject tool) || !(tool.getValue("name") instanceof String name)) continue;
      if (!server.holdChangedTools() || !accepted.containsKey(name)) accepted.put(name, of(tool));
    }
    return accepted;
  }

  /** Names of the synced tools whose definition differs from the accepted one (empty when holding is off). */
  public static Set<String> held(McpServer server) {
    if (!server.holdChangedTools()) return Set.of();
    java.util.Set<String> held = new java.util.TreeSet<>();
    for (Object item : server.tools()) {
      if (!(item instanceof JsonObject tool) || !(tool.getValue("name") instanceof String name)) continue;
      String accepted = server.acceptedToolHashes().get(name);
      if (accepted != null && !accepted.equals(of(tool))) held.add(name);
    }
    return held;
  }

  /**
   * For each tool held after a sync fetched {@code tools} (with {@code accepted}, the fingerprints
   * after that sync), the definition that had been accepted: the one kept from before, or else the
   * previous sync's, when that was the accepted one. A tool whose accepted definition was never
   * seen by this gateway (accepted before definitions were kept) has no entry.
   */
  public static Map<String, JsonObject> heldToolsAccepted(McpServer before, JsonArray tools, Map<String, String> accepted) {
    if (!before.holdChangedTools()) return Map.of();
    Map<String, JsonObject> previous = new HashMap<>();
    for (Object item : before.tools()) {
      if (item instanceof JsonObject tool && tool.getValue("name") instanceof String name) previous.put(name, tool);
    }
    Map<String, JsonObject> kept = new HashMap<>();
    for (Object item : tools) {
      if (!(item instanceof JsonObject tool) || !(tool.getValue("name") instanceof String name)) continue;
      String hash = accepted.get(name);
      if (hash == null || hash.equals(of(tool))) continue;
      JsonObject known = before.heldToolsAccepted().get(name);
      if (known == null || !hash.equals(of(known))) known = previous.get(name);
      if (known != null && hash.equals(of(known))) kept.put(name, known.copy());
    }
    return kept;
  }

  /** {@code server}'s kept accepted definitions of the tools it still holds (after an accept or a change of holding). */
  public static Map<String, JsonObject> stillHeld(McpServer server) {
    Set<String> held = held(server);
    Map<String, JsonObject> kept = new HashMap<>();
    server.heldToolsAccepted().forEach((name, definition) -> {
      if (held.contains(name)) kept.put(name, definition);
    });
    return kept;
  }

  /** Accepts the current definition of the named tools ({@code *}: every held tool). */
  public static Map<String, String> accept(McpServer server, List<String> names) {
    Map<String, String> accepted = new HashMap<>(server.acceptedToolHashes());
    boolean all = names.contains("*");
    for (Object item : server.tools()) {
      if (item instanceof JsonObject tool && tool.getValue("name") instanceof String name && (all || names.contains(name))) {
        accepted.put(name, of(tool));
      }
    }
    return accepted;
  }
}
