package dev.mcpgateway.codemode.child;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** What a run's {@code console.log} printed, up to a cap: the rest is counted, not kept. */
final class ConsoleBuffer extends OutputStream {
  private final int maxBytes;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private long dropped;

  ConsoleBuffer(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public synchronized void write(int b) {
    if (kept.size() < maxBytes) kept.write(b);
    else dropped++;
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    int room = Math.max(0, Math.min(length, maxBytes - kept.size()));
    kept.write(bytes, offset, room);
    dropped += length - room;
  }

  synchronized String text() {
    String text = kept.toString(StandardCharsets.UTF_8);
    return dropped == 0 ? text : text + "\n--- TRUNCATED (" + dropped + " more bytes) ---";
  }
}
