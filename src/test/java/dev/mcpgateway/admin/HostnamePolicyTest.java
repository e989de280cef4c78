package dev.mcpgateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnamePolicyTest {
  private final HostnamePolicy strict = new HostnamePolicy(false);
  private final HostnamePolicy permissive = new HostnamePolicy(true);

  @ParameterizedTest(name = "{0} → allowed={1} (link-local allowed: {2})")
  @CsvSource({
      "https://mcp.example.com/mcp, true, true",
      "http://127.0.0.1:3001/mcp, true, true",
      "http://[::1]:8080/mcp, true, true",
      "http://10.0.0.5/mcp, true, true",
      "HTTPS://Example.COM, true, true",
      "ftp://example.com/mcp, false, false",
      "file:///etc/passwd, false, false",
      "/relative/path, false, false",
      "example.com/mcp, false, false",
      "http://, false, false",
      "http://user:pass@example.com/mcp, false, false",
      "https://example.com/mcp#frag, false, false",
      "http://exa mple.com, false, false",
      "http://169.254.169.254/latest/meta-data, false, true",
      "http://169.254.1.1:80/, false, true",
      "http://[fe80::1]/mcp, false, true",
      "http://[::ffff:169.254.169.254]/, false, true",
      "http://[fd00:ec2::254]/, false, true",
      "http://metadata.google.internal/computeMetadata/v1, false, true",
      "http://metadata.google.internal./, false, true",
      "http://100.100.100.200/latest, false, true",
      "http://[::a9fe:a9fe]/, false, true",
      "http://[64:ff9b::a9fe:a9fe]/, false, true",
      "http://2852039166/, false, false",
      "http://0251.254.169.254/, false, false",
      "http://0xa9.0xfe.0xa9.0xfe/, false, false",
      "http://1.2.3/, false, false",
      "https://mcp.example.com:65536/, false, false",
      "https://mcp.example.com:0/, false, false",
      "https://mcp.example.com:443/, true, true",
      "http://my-host-1.internal:8080/mcp, true, true",
  })
  void hostnames(String url, boolean strictAllows, boolean permissiveAllows) {
    assertEquals(strictAllows, strict.problem(url).isEmpty(), () -> url + ": " + strict.problem(url));
    assertEquals(permissiveAllows, permissive.problem(url).isEmpty(), () -> url + ": " + permissive.problem(url));
  }
}
