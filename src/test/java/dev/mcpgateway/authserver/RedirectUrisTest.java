package dev.mcpgateway.authserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The redirect-URI allow-list and matching as pure functions, a table of cases. */
class RedirectUrisTest {
  static final RedirectUris POLICY = new RedirectUris(List.of("https://claude.ai/api/mcp/auth_callback",
      "cursor://anysphere.cursor-retrieval/oauth/*/callback", "https://*.vscode.dev/redirect"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "http://127.0.0.1:33418/callback, true",
      "http://localhost/cb, true",
      "http://[::1]:8080/x?y=1, true",
      "https://claude.ai/api/mcp/auth_callback, true",
      "https://claude.ai/api/mcp/auth_callback/more, false",
      "cursor://anysphere.cursor-retrieval/oauth/user-github/callback, true",
      "cursor://anysphere.cursor-retrieval/oauth/a/b/callback, false",
      "https://insiders.vscode.dev/redirect, true",
      "https://evil.example/x.vscode.dev/redirect, false",
      "https://evil.example@x.vscode.dev/redirect, false",
      "https://127.0.0.1:5/callback, false",
      "http://127.0.0.1.evil.example/cb, false",
      "http://user@127.0.0.1/cb, false",
      "http://127.0.0.1:5/cb#fragment, false",
      "/relative/callback, false",
      "http://attacker.example/callback, false",
  })
  void registration(String uri, boolean allowed) {
    assertEquals(allowed, POLICY.refusal(uri) == null, POLICY.refusal(uri));
  }

  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource({
      "http://127.0.0.1:5000/callback, http://127.0.0.1:6000/callback, true",
      "http://127.0.0.1/callback, http://127.0.0.1:6000/callback, true",
      "http://localhost:5000/callback, http://127.0.0.1:5000/callback, false",
      "http://127.0.0.1:5000/callback, http://127.0.0.1:5000/other, false",
      "http://127.0.0.1:5000/callback?a=1, http://127.0.0.1:1/callback?a=2, false",
      "https://claude.ai/api/mcp/auth_callback, https://claude.ai/api/mcp/auth_callback, true",
      "https://claude.ai:443/cb, https://claude.ai:8443/cb, false",
  })
  void matching(String registered, String requested, boolean matches) {
    assertEquals(matches, RedirectUris.matches(registered, requested));
  }
}
