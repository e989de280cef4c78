package dev.mcpgateway.proxy;

/** Agent-supplied text echoed in an error message: cut short and stripped of control characters. */
final class StringsForLogs {
  private StringsForLogs() {}

  static String clip(String text) {
    String cleaned = text.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() <= 128 ? cleaned : cleaned.substring(0, 128) + "…";
  }
}
