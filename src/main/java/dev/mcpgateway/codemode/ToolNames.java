package dev.mcpgateway.codemode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tool names as JavaScript identifiers, so that {@code codemode.my_server_get_data(args)} works:
 * {@code -}, {@code .} and white space become {@code _}, other characters a JavaScript name cannot
 * hold are dropped, a leading digit gets a {@code _} before it and a reserved word one after it
 * (Cloudflare's rule, from {@code sanitizeToolName} in {@code @cloudflare/codemode}). Two tools
 * that come out the same are told apart by {@code _2}, {@code _3}, … in listing order.
 */
public final class ToolNames {
  private static final Set<String> RESERVED = Set.of("break", "case", "catch", "class", "const", "continue", "debugger", "default",
      "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
      "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
      "let", "static", "implements", "interface", "package", "private", "protected", "public", "await", "arguments", "eval",
      "undefined", "NaN", "Infinity");

  private ToolNames() {}

  public static String sanitize(String name) {
    StringBuilder out = new StringBuilder(name.length() + 2);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '-' || c == '.' || Character.isWhitespace(c)) out.append('_');
      else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$') out.append(c);
    }
    if (out.isEmpty()) return "_";
    if (Character.isDigit(out.charAt(0))) out.insert(0, '_');
    String sanitized = out.toString();
    return RESERVED.contains(sanitized) ? sanitized + "_" : sanitized;
  }

  /** Identifier → exposed name, each identifier unique within {@code exposed} (in listing order). */
  public static Map<String, String> identifiers(List<String> exposed) {
    Map<String, String> byIdentifier = new LinkedHashMap<>();
    for (String name : exposed) {
      String base = sanitize(name);
      String identifier = base;
      for (int n = 2; byIdentifier.containsKey(identifier); n++) identifier = base + "_" + n;
      byIdentifier.put(identifier, name);
    }
    return byIdentifier;
  }
}
