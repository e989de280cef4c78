package dev.mcpgateway.proxy.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The switches page's HTML, its policy and its form parsing, without a gateway. */
class SwitchesHtmlTest {

  @Test
  void theOnlyStyleIsTheInlineOneThePolicyAllowsByItsHash() throws Exception {
    String html = SwitchesHtml.page("P", "this session", List.of(new SwitchesHtml.Row("s", "S", "ready", true, null)), "/x", "t");
    Matcher style = Pattern.compile("<style>(.*?)</style>").matcher(html);
    assertTrue(style.find());
    String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(style.group(1).getBytes("UTF-8")));
    assertTrue(SwitchesHtml.CONTENT_SECURITY_POLICY.contains("style-src 'sha256-" + hash + "'"), SwitchesHtml.CONTENT_SECURITY_POLICY);
    assertFalse(style.find(), "one style element");
    assertFalse(html.contains("<script") || html.contains(" style=") || Pattern.compile("\\son[a-z]+=").matcher(html).find(),
        "no script, no inline style or handler attributes: " + html);
  }

  @Test
  void everyTextFromOutsideIsEscaped() {
    String evil = "<script>alert('x')</script>\"&";
    String html = SwitchesHtml.page(evil, "this client", List.of(new SwitchesHtml.Row("srv", evil, "error", false,
        "https://gw.example/oauth/user/a/srv?ticket=v1.x&y=\"z\"")), "/portals/a/p/servers?ticket=v1.a%2Bb", "v1.\"ticket\"");
    assertFalse(html.contains("<script>"), html);
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"), html);
    assertTrue(html.contains("href=\"https://gw.example/oauth/user/a/srv?ticket=v1.x&amp;y=&quot;z&quot;\""), html);
    assertTrue(html.contains("value=\"v1.&quot;ticket&quot;\""), html);
    assertTrue(html.contains("data-state=\"off\"") && html.contains("value=\"on\">Switch on"), html);
    assertTrue(SwitchesHtml.problem("<b>", "<i>").contains("&lt;b&gt;"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ticket=v1.a%2Bb&server=s&action=off | v1.a+b | s | off",
      "action=reset&ticket=v1.x+y | v1.x y | | reset",
      "ticket=&server=%C3%A9&action= | '' | é | ''",
  })
  void formsAreDecodedAsBrowsersEncodeThem(String body, String ticket, String server, String action) {
    Map<String, String> form = SwitchesPage.form(Buffer.buffer(body));
    assertEquals(ticket, form.get("ticket"));
    assertEquals(server, form.get("server"));
    assertEquals(action, form.get("action"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"ticket=a&ticket=b", "ticket=%zz", "server=%"})
  void aFieldTwiceOrABrokenEscapeIsRefused(String body) {
    assertThrows(RuntimeException.class, () -> SwitchesPage.form(Buffer.buffer(body)));
  }
}
