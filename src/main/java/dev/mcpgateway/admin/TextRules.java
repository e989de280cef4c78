package dev.mcpgateway.admin;

import java.util.Optional;

/**
 * What free text may contain: no control characters (a description may keep tab and newlines) and
 * no unpaired surrogates, which are not Unicode text and break UTF-8 encoders downstream.
 */
final class TextRules {
  private TextRules() {}

  static Optional<String> problem(String text, boolean multiline) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return Optional.of("contains an unpaired surrogate");
      }
      if (Character.isLowSurrogate(c)) return Optional.of("contains an unpaired surrogate");
      boolean allowedWhitespace = multiline && (c == '\t' || c == '\n' || c == '\r');
      if ((c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) && !allowedWhitespace) {
        return Optional.of("contains a control character");
      }
    }
    return Optional.empty();
  }
}
