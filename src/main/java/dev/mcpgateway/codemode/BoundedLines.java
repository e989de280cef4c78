package dev.mcpgateway.codemode;

import java.io.BufferedReader;
import java.io.IOException;

/** Lines of a sandbox's pipes, never unbounded: a process that misbehaves cannot make the gateway hold a huge line. */
final class BoundedLines {
  /** A line longer than its reader allows. */
  static final class TooLong extends IOException {
    TooLong() {
      super("line too long", null);
    }
  }

  private BoundedLines() {}

  /** The next line, or null at the end; {@link TooLong} past {@code max} characters. */
  static String next(BufferedReader in, int max) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1; c = in.read()) {
      if (c == '\n') return line.toString();
      if (line.length() >= max) throw new TooLong();
      line.append((char) c);
    }
    return line.isEmpty() ? null : line.toString();
  }

  /** The next line cut at {@code max} characters (the rest of it skipped), or null at the end. */
  static String cut(BufferedReader in, int max) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1; c = in.read()) {
      if (c == '\n') return line.toString();
      if (line.length() < max) line.append((char) c);
    }
    return line.isEmpty() ? null : line.toString();
  }
}
