package dev.mcpgateway.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.util.Optional;

/**
 * Parses admin input as strict JSON (RFC 8259): no comments, no duplicate keys (which would let a
 * later value silently win), valid UTF-8 only, bounded nesting. Vert.x's shared codec is lenient
 * about the first two, so bodies go through this factory instead, into Vert.x JSON types.
 */
final class StrictJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .build();

  private StrictJson() {}

  /** The value, or empty when the bytes are not exactly one strict JSON value. */
  static Optional<Object> parse(byte[] bytes) {
    if (!isUtf8(bytes)) return Optional.empty();
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      return Optional.ofNullable(JacksonCodec.fromParser(parser, Object.class)).or(() -> Optional.of(NULL));
    } catch (IOException | RuntimeException e) {
      // DecodeException (malformed, duplicate key, trailing data) and invalid UTF-8 alike
      return Optional.empty();
    }
  }

  /**
   * Java's decoder is the strict one: it refuses overlong forms, encoded surrogates and code points
   * past U+10FFFF, all of which Jackson's fast path lets through.
   */
  private static boolean isUtf8(byte[] bytes) {
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  /** Stands for a JSON {@code null} document, which {@link #parse} must tell apart from invalid input. */
  static final Object NULL = new Object();
}
