package dev.mcpgateway.proxy.http;

/** Agent-supplied text echoed in an error message: cut short and stripped of control characters. */
public final class AgentText {
  private AgentText() {}

  public static String clip(String text) {
    String cleaned = text.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() <= 128 ? cleaned : cleaned.substring(0, 128) + "…";
  }
}
