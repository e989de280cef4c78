package dev.mcpgateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Counting with the real o200k_base encoding (the counts below are jtokkit's, the same as OpenAI's
 * tiktoken gives), and the budget's one-warning-per-crossing rule.
 */
class ContextCostTest {
  @Test
  void knownStringsHaveTheirKnownTokenCounts() {
    assertEquals(2, ContextCost.tokens("hello world"));
    assertEquals(4, ContextCost.tokens("Hello, world!"));
    assertEquals(1, ContextCost.tokens("[]"));
    assertEquals(5, ContextCost.tokens("{\"name\":\"echo\"}"));
    assertEquals(0, ContextCost.tokens(""));
  }

  @Test
  void specialTokenMarkersInAToolAreOrdinaryTextNotAFailure() {
    // a description may contain anything; encode() would refuse this, the count treats it as text
    assertEquals(7, ContextCost.tokens("<|endoftext|>"));
  }

  @Test
  void aListCostsTheBytesAndTokensOfItsCompactJson() {
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "echo").put("description", "Répète le message"))
        .add(new JsonObject().put("name", "add").put("inputSchema", new JsonObject().put("type", "object")));
    String json = tools.encode();
    ContextCost cost = ContextCost.of(tools);
    assertEquals(json.getBytes(StandardCharsets.UTF_8).length, cost.bytes(), "UTF-8 bytes, not chars: " + json);
    assertTrue(cost.bytes() > json.length(), "é is two bytes");
    assertEquals(ContextCost.tokens(json), cost.tokens());
  }

  @Test
  void listsAreCountedEachByItselfAndEmptyOnesCostNothing() {
    JsonArray tools = new JsonArray().add(new JsonObject().put("name", "echo"));
    JsonArray prompts = new JsonArray().add(new JsonObject().put("name", "greet"));
    assertEquals(ContextCost.of(tools).plus(ContextCost.of(prompts)), ContextCost.of(tools, prompts));
    assertEquals(ContextCost.NONE, ContextCost.of(new JsonArray(), new JsonArray()));
    assertEquals(ContextCost.of(tools), ContextCost.of(tools, new JsonArray()));
  }

  @Test
  void theBudgetWarnsOncePerCrossing() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger(ContextBudget.class.getName());
    logger.addHandler(capture);
    try {
      ContextBudget budget = new ContextBudget(100);
      assertTrue(budget.check("server acme/big", 150, "disable tools"));
      budget.check("server acme/big", 160, "disable tools");
      budget.check("server acme/big", 150, "disable tools");
      List<LogRecord> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
      assertEquals(1, warnings.size(), "once per crossing, not per count: " + records);
      String message = warnings.get(0).getMessage();
      assertTrue(message.contains("server acme/big") && message.contains("150") && message.contains("100")
          && message.contains("o200k_base") && message.contains("disable tools"), message);

      budget.check("server acme/big", 90, "disable tools"); // back under: one INFO
      budget.check("server acme/big", 120, "disable tools"); // over again: a second warning
      assertEquals(2, records.stream().filter(r -> r.getLevel() == Level.WARNING).count(), records.toString());
      assertEquals(1, records.stream().filter(r -> r.getLevel() == Level.INFO).count(), records.toString());

      budget.check("server acme/small", 100, "x"); // at the budget is within it
      budget.forget("server acme/big");
      budget.check("server acme/big", 120, "disable tools"); // a new server of the same name starts afresh
      assertEquals(3, records.stream().filter(r -> r.getLevel() == Level.WARNING).count(), records.toString());

      records.clear();
      ContextBudget off = new ContextBudget(0);
      assertEquals(false, off.check("portal acme/huge", 1_000_000, "x"));
      assertEquals(List.of(), records, "0 turns the budget off");
    } finally {
      logger.removeHandler(capture);
    }
  }
}
