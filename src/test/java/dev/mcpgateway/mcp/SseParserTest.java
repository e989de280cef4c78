package dev.mcpgateway.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SseParserTest {

  static Stream<Arguments> streams() {
    return Stream.of(
        Arguments.of("single event, LF", "data: {\"a\":1}\n\n", List.of(new SseEvent(null, null, "{\"a\":1}"))),
        Arguments.of("CRLF line ends", "event: message\r\ndata: x\r\nid: 7\r\n\r\n", List.of(new SseEvent("7", "message", "x"))),
        Arguments.of("CR line ends", "data: x\rdata: y\r\r", List.of(new SseEvent(null, null, "x\ny"))),
        Arguments.of("mixed line ends", "data: a\r\ndata: b\rdata: c\n\r\n", List.of(new SseEvent(null, null, "a\nb\nc"))),
        Arguments.of("multi-line data", "data: line1\ndata: line2\ndata\n\n", List.of(new SseEvent(null, null, "line1\nline2\n"))),
        Arguments.of("comments are ignored", ": keep-alive\n: another\ndata: x\n\n", List.of(new SseEvent(null, null, "x"))),
        Arguments.of("only one leading space is stripped", "data:  two\ndata:none\n\n", List.of(new SseEvent(null, null, " two\nnone"))),
        Arguments.of("priming event with empty data is dispatched", "id: prime-1\ndata:\n\ndata: real\n\n",
            List.of(new SseEvent("prime-1", null, ""), new SseEvent("prime-1", null, "real"))),
        Arguments.of("id-only event dispatches nothing but sets the id", "id: 5\n\ndata: x\n\n", List.of(new SseEvent("5", null, "x"))),
        Arguments.of("id with NUL is ignored", "id: 1\n\nid: a\0b\ndata: x\n\n", List.of(new SseEvent("1", null, "x"))),
        Arguments.of("event type resets after dispatch", "event: endpoint\ndata: /m?s=1\n\ndata: y\n\n",
            List.of(new SseEvent(null, "endpoint", "/m?s=1"), new SseEvent(null, null, "y"))),
        Arguments.of("unknown fields ignored", "foo: bar\ndata: x\nbaz\n\n", List.of(new SseEvent(null, null, "x"))),
        Arguments.of("leading BOM is skipped", "\uFEFFdata: x\n\n", List.of(new SseEvent(null, null, "x"))),
        Arguments.of("unicode survives any split", "data: h\u00e9llo \u2603 \uD83D\uDE00\n\n",
            List.of(new SseEvent(null, null, "h\u00e9llo \u2603 \uD83D\uDE00"))),
        Arguments.of("unfinished event at end is discarded", "data: done\n\ndata: partial\n", List.of(new SseEvent(null, null, "done"))),
        Arguments.of("no trailing blank line: nothing", "data: x", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void parsesTheStreamWhole(String name, String stream, List<SseEvent> expected) {
    assertEquals(expected, parse(stream.getBytes(StandardCharsets.UTF_8), List.of()));
  }

  @ParameterizedTest(name = "{0}, split at every byte")
  @MethodSource("streams")
  void parsesTheStreamSplitAtEveryByteOffset(String name, String stream, List<SseEvent> expected) {
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i <= bytes.length; i++) {
      assertEquals(expected, parse(bytes, List.of(i)), "split at " + i);
    }
    for (int i = 0; i <= bytes.length; i++) {
      for (int j = i; j <= bytes.length; j++) {
        assertEquals(expected, parse(bytes, List.of(i, j)), "split at " + i + " and " + j);
      }
    }
  }

  @Test
  void byteAtATime() {
    byte[] bytes = "id: 1\r\nevent: message\r\ndata: {\"jsonrpc\":\"2.0\"}\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    List<SseEvent> seen = new ArrayList<>();
    SseParser parser = new SseParser(1024, seen::add);
    for (byte b : bytes) parser.feed(new byte[] {b});
    assertEquals(List.of(new SseEvent("1", "message", "{\"jsonrpc\":\"2.0\"}")), seen);
    assertEquals("1", parser.lastEventId());
  }

  @Test
  void retryTakesDigitsOnly() {
    SseParser parser = new SseParser(1024, e -> { });
    parser.feed("retry: 3000\n\nretry: 12x\n\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(3000L, parser.retryMillis());
  }

  @Test
  void oversizedEventsAndLinesAreRefused() {
    SseParser lines = new SseParser(64, e -> { });
    assertThrows(SseParser.EventTooLargeException.class, () -> lines.feed(("data: " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8)));
    SseParser events = new SseParser(64, e -> { });
    assertThrows(SseParser.EventTooLargeException.class, () -> {
      for (int i = 0; i < 10; i++) events.feed("data: 0123456789\n".getBytes(StandardCharsets.UTF_8));
    });
  }

  private static List<SseEvent> parse(byte[] bytes, List<Integer> splits) {
    List<SseEvent> seen = new ArrayList<>();
    SseParser parser = new SseParser(1 << 20, seen::add);
    int from = 0;
    for (int split : splits) {
      parser.feed(Arrays.copyOfRange(bytes, from, split));
      from = split;
    }
    parser.feed(Arrays.copyOfRange(bytes, from, bytes.length));
    parser.end();
    return seen;
  }
}
