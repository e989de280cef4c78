package dev.mcpgateway.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence for secrets in logs: whatever a log line says, bearer tokens, basic
 * credentials, credential-like JSON fields and the gateway's own session ids are masked before the
 * line is written. Code should never log a secret in the first place; this catches the mistakes.
 */
public final class SecretRedactor {
  private static final String MASK = "[redacted]";
  private static final Pattern[] VALUE_AFTER = {
      // Authorization: Bearer xyz / Basic xyz (as a header or inside any text)
      Pattern.compile("(?i)((?:bearer|basic)\\s+)[A-Za-z0-9._~+/=:-]{4,}"),
      // "auth_credentials": "...", "client_secret": "...", "token": "...", "password": "..." in JSON
      Pattern.compile("(?i)(\"(?:auth_credentials|auth_credentials_sealed|client_secret|access_token|refresh_token|token|password|secret_key|admin_token|client_token)\"\\s*:\\s*\")[^\"]*"),
      // key=value forms in URLs or text
      Pattern.compile("(?i)((?:access_token|refresh_token|client_secret|password|api_key|apikey|token)=)[^&\\s\"]+"),
      // the gateway's sealed values (session ids, sealed credentials): v1.<base64url>
      Pattern.compile("(\\b)v1\\.[A-Za-z0-9_-]{20,}"),
      // user:password@ in URLs
      Pattern.compile("(://[^/@\\s:]+:)[^/@\\s]+(?=@)"),
  };

  private SecretRedactor() {}

  public static String redact(String text) {
    if (text == null) return null;
    String result = text;
    for (Pattern pattern : VALUE_AFTER) {
      Matcher matcher = pattern.matcher(result);
      result = matcher.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    }
    return result;
  }
}
