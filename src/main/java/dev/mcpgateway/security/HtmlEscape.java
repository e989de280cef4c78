package dev.mcpgateway.security;

/** Text made safe for HTML element content and quoted attribute values: the gateway's browser pages escape everything they did not write. */
public final class HtmlEscape {
  private HtmlEscape() {}

  public static String text(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
