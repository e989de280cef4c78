package dev.mcpgateway.store;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One JSON document per (account, id) under a root directory, {@code <root>/<account>/<id>.json}:
 * what the embedded store keeps servers and portals in. Writes replace a file atomically and
 * durably ({@link DurableFiles}); directories are owner-only; {@link #load} reads every document
 * at start, deleting the temporary files of writes a crash cut short (the previous version
 * stands) and stopping, with the file's name, at one that does not parse. Not thread-safe: called
 * on the store's {@link SingleWriter} only.
 */
final class AccountDocuments {
  static final String SUFFIX = ".json";
  static final String TEMP_SUFFIX = ".tmp";
  /** Ids that cannot climb out of the data directory when used as a path segment. */
  static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final System.Logger LOG = System.getLogger(AccountDocuments.class.getName());

  /** Takes one loaded document; {@code file} is for messages and for checking the document against its place. */
  @FunctionalInterface
  interface Loader {
    void load(Path file, JsonObject document) throws IOException;
  }

  private final Path root;

  AccountDocuments(Path root) {
    this.root = root;
  }

  /** An id as a path segment, refused when it could climb out of the data directory. */
  static String safeSegment(String id) {
    if (!SAFE_SEGMENT.matcher(id).matches()) throw new IllegalArgumentException("id is not a safe path segment");
    return id;
  }

  /** Whether {@code file} is where the document of {@code accountId}/{@code id} lives. */
  static boolean isPlaceOf(Path file, String accountId, String id) {
    return file.getFileName().toString().equals(id + SUFFIX) && file.getParent().getFileName().toString().equals(accountId);
  }

  void write(String accountId, String id, byte[] document) throws IOException {
    Path dir = root.resolve(safeSegment(accountId));
    String name = safeSegment(id) + SUFFIX;
    if (!Files.isDirectory(dir)) {
      DurableFiles.createPrivateDirectory(dir);
      DurableFiles.fsyncDirectory(root);
    }
    DurableFiles.writeAtomically(dir, name, document, TEMP_SUFFIX);
  }

  void delete(String accountId, String id) throws IOException {
    Path dir = root.resolve(safeSegment(accountId));
    Files.deleteIfExists(dir.resolve(safeSegment(id) + SUFFIX));
    DurableFiles.fsyncDirectory(dir);
  }

  /** Every document under the root (created if missing), given to {@code loader}. */
  void load(Loader loader) throws IOException {
    DurableFiles.createPrivateDirectory(root);
    try (DirectoryStream<Path> accounts = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path accountDir : accounts) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(accountDir)) {
          for (Path file : files) loadFile(file, loader);
        }
      }
    }
  }

  private static void loadFile(Path file, Loader loader) throws IOException {
    String fileName = file.getFileName().toString();
    if (fileName.endsWith(TEMP_SUFFIX)) {
      // A write that crashed before its rename: the previous version (if any) is the real one.
      LOG.log(System.Logger.Level.WARNING, "ignoring unfinished write " + file);
      Files.deleteIfExists(file);
      return;
    }
    if (!fileName.endsWith(SUFFIX)) return;
    JsonObject document;
    try {
      document = new JsonObject(Files.readString(file));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
    }
    try {
      loader.load(file, document);
    } catch (RuntimeException e) {
      if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().startsWith("cannot load ")) throw e;
      throw new IllegalStateException("cannot load " + file + ": " + e.getMessage(), e);
    }
  }
}
