package dev.mcpgateway.authserver;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which redirect URIs a client may register ({@code sign_in.redirect_uris}) and how a requested one
 * matches a registered one. Loopback {@code http} URIs ({@code 127.0.0.1}, {@code [::1]},
 * {@code localhost}) are always allowed, on any port (RFC 8252 §7.3, as Cloudflare's
 * {@code allow_any_on_loopback}): native apps and CLIs bind a free port per sign-in. Everything
 * else must match a configured pattern, in which {@code *} stands for any run of characters other
 * than {@code / ? # @ \} and whitespace — so it stays within one path segment or one part of a host
 * and cannot move the URI to another host. Fragments are never allowed (RFC 6749 §3.1.2).
 */
final class RedirectUris {
  private static final int MAX_CHARS = 2000;

  private final List<Pattern> patterns;

  RedirectUris(List<String> configured) {
    this.patterns = configured.stream().map(RedirectUris::compile).toList();
  }

  private static Pattern compile(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (String literal : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) regex.append("[^/?#@\\\\\\s]*");
      regex.append(Pattern.quote(literal));
    }
    return Pattern.compile(regex.toString());
  }

  /** Null when {@code uri} may be registered, else why not (RFC 7591's {@code invalid_redirect_uri} description). */
  String refusal(String uri) {
    URI parsed = parse(uri);
    if (parsed == null || parsed.getScheme() == null) return "redirect URI '" + shown(uri) + "' is not an absolute URI";
    if (parsed.getRawFragment() != null || uri.contains("#")) return "redirect URI '" + shown(uri) + "' has a fragment";
    if (isLoopback(parsed)) return null;
    if (patterns.stream().anyMatch(p -> p.matcher(uri).matches())) return null;
    return "redirect URI '" + shown(uri) + "' is not allowed by this gateway (loopback http URIs are; others need sign_in.redirect_uris)";
  }

  /** Whether the {@code requested} redirect URI is the {@code registered} one: exactly, but a loopback one on any port. */
  static boolean matches(String registered, String requested) {
    if (registered.equals(requested)) return true;
    URI a = parse(registered);
    URI b = parse(requested);
    if (a == null || b == null || !isLoopback(a) || !isLoopback(b)) return false;
    return a.getHost().equalsIgnoreCase(b.getHost()) && same(a.getRawPath(), b.getRawPath()) && same(a.getRawQuery(), b.getRawQuery())
        && b.getRawUserInfo() == null && b.getRawFragment() == null;
  }

  private static boolean isLoopback(URI uri) {
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null) return false;
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("localhost");
  }

  private static boolean same(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }

  private static URI parse(String uri) {
    if (uri == null || uri.isEmpty() || uri.length() > MAX_CHARS) return null;
    try {
      URI parsed = new URI(uri);
      return parsed.isAbsolute() ? parsed : null;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static String shown(String uri) {
    return uri == null ? "" : uri.length() > 200 ? uri.substring(0, 200) + "…" : uri;
  }
}
