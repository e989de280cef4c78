package dev.mcpgateway.metrics;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * What lists cost an agent's context: the UTF-8 bytes of their compact JSON and its tokens under
 * OpenAI's {@code o200k_base} BPE encoding (jtokkit; GPT-4o and later). Other models' tokenizers
 * (Claude, Gemini, Llama) split differently, by a few per cent on JSON like this: a real tokenizer
 * gives the right order of magnitude and exact comparisons between modes, not any one model's bill.
 *
 * <p>Each list is counted as sent, by itself ({@code tools/list} and {@code prompts/list} are
 * separate answers); an empty list costs nothing (a server without prompts offers none). Counting is
 * CPU work proportional to the JSON (about a millisecond per 30 KB): callers run it on a worker,
 * once per change ({@link ContextCosts}), never per request. The encoding's tables (≈ 3.6 MB) load
 * on first use, also on a worker.
 */
public record ContextCost(long bytes, long tokens) {
  /** The encoding the token counts use. */
  public static final String ENCODING = "o200k_base";
  public static final ContextCost NONE = new ContextCost(0, 0);

  /** The cost of {@code lists}, each as the compact JSON an agent receives; blocking CPU work. */
  public static ContextCost of(JsonArray... lists) {
    ContextCost total = NONE;
    for (JsonArray list : lists) {
      if (list == null || list.isEmpty()) continue;
      String json = list.encode();
      total = total.plus(new ContextCost(json.getBytes(StandardCharsets.UTF_8).length, tokens(json)));
    }
    return total;
  }

  /** Tokens of {@code text}; special-token markers such as {@code <|endoftext|>} count as the plain text they are. */
  public static int tokens(String text) {
    return Tokenizer.O200K.countTokensOrdinary(text);
  }

  public ContextCost plus(ContextCost other) {
    return new ContextCost(bytes + other.bytes, tokens + other.tokens);
  }

  public JsonObject toJson() {
    return new JsonObject().put("bytes", bytes).put("tokens", tokens);
  }

  /** Loaded on first use (a class initialiser: once, thread-safe); the encoding is immutable and shared. */
  private static final class Tokenizer {
    static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }
}
