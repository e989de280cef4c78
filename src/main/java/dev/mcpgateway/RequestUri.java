package dev.mcpgateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Vert.x's router fails before any handler runs when a request's path or query has broken
 * percent-encoding. The failure handlers use this to answer that as the client's error (400),
 * naming the part, instead of as the gateway's (500).
 */
public final class RequestUri {
  public enum Part { PATH, QUERY }

  private RequestUri() {}

  public static Optional<Part> malformed(String uri) {
    if (uri == null) return Optional.empty();
    int question = uri.indexOf('?');
    String path = question < 0 ? uri : uri.substring(0, question);
    if (!decodes(path)) return Optional.of(Part.PATH);
    if (question >= 0 && !decodes(uri.substring(question + 1))) return Optional.of(Part.QUERY);
    return Optional.empty();
  }

  private static boolean decodes(String text) {
    try {
      URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
