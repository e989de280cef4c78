package dev.mcpgateway.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns Vert.x's blocked-thread warnings into test failures: registered for every test class
 * (see META-INF/services), it listens to the checker's logger and fails the class that caused one.
 */
public final class NoBlockedThreads implements BeforeAllCallback, AfterAllCallback {
  private static final Logger CHECKER = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
  private static final Handler HANDLER = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) WARNINGS.add(record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  static {
    CHECKER.addHandler(HANDLER);
  }

  /** The warnings seen so far, forgotten: for the test that proves this guard works. */
  static List<String> drain() {
    List<String> seen = List.copyOf(WARNINGS);
    WARNINGS.clear();
    return seen;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    WARNINGS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!WARNINGS.isEmpty()) {
      List<String> seen = List.copyOf(WARNINGS);
      WARNINGS.clear();
      throw new AssertionError("Vert.x blocked-thread checker warned during " + context.getDisplayName() + ": " + seen);
    }
  }
}
