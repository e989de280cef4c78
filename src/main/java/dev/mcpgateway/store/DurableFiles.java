package dev.mcpgateway.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The embedded store's filesystem steps that durability and privacy rest on: owner-only
 * directories and files, and fsync of a directory so that a created, renamed or deleted entry
 * survives a crash. Blocking: called on the store's worker threads only.
 */
final class DurableFiles {
  private DurableFiles() {}

  static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) return;
    try {
      Files.createDirectories(dir.getParent());
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) throw e;
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX filesystem: the owner-only directory is the protection
    }
  }

  /**
   * Replaces {@code dir/name} with {@code bytes} so that a crash leaves the old or the new content,
   * never a torn file: a temp file ({@code .name.tmp}) written and fsynced, renamed atomically, the
   * directory fsynced. The file is owner-only: it may hold sealed secrets.
   */
  static void writeAtomically(Path dir, String name, byte[] bytes, String tempSuffix) throws IOException {
    Path temp = dir.resolve("." + name + tempSuffix);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      restrictToOwner(temp);
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) channel.write(buffer);
      channel.force(true);
    }
    Files.move(temp, dir.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(dir);
  }

  static void fsyncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fsync " + dir, e);
    }
  }
}
