package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.RawRow;
import dev.stallwatch.text.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a dump's bytes into lines at {@code \n}, {@code \r\n} or {@code \r}, and decodes each line
 * as UTF-8 on its own. Two defences against hostile files:
 *
 * <ul>
 *   <li>A line longer than {@link RawRow#MAX_BYTES} is not kept: its first {@value RawRow#SHOWN_BYTES}
 *       bytes are, and the rest is counted and passed over, so a gzip bomb (a megabyte that
 *       inflates to one line of a gigabyte) costs the time to inflate it, not the memory.
 *   <li>A compressed file that ends early or is corrupt ends the lines where it can no longer be
 *       read, and {@link #cut()} says why; the bytes read after the last whole line are the last
 *       {@link Line}, marked {@link Line#cut}. A plain file's read errors are real errors and are
 *       thrown.
 * </ul>
 */
final class LineReader {
  /** One line: its text, how it ended and what was wrong with it. */
  static final class Line {
    /** The text; replacement characters where the bytes were not UTF-8; the kept start when over. */
    final String text;
    /** False when the bytes were not UTF-8. */
    final boolean utf8;
    /** The line break that ended it, as it was: {@code "\n"}, {@code "\r\n"}, {@code "\r"} or none. */
    final String terminator;
    /** Its length in bytes, without the line break. */
    final long bytes;
    /** True when the line was longer than {@link RawRow#MAX_BYTES}. */
    final boolean over;
    /** True when the (compressed) file could not be read past this unfinished line. */
    final boolean cut;
    /** Where it starts: its first byte's offset in the (decompressed) text. */
    final long start;

    Line(String text, boolean utf8, String terminator, long bytes, boolean over, boolean cut, long start) {
      this.start = start;
      this.text = text;
      this.utf8 = utf8;
      this.terminator = terminator;
      this.bytes = bytes;
      this.over = over;
      this.cut = cut;
    }
  }

  private final InputStream in;
  private final boolean compressed;
  private final byte[] buffer = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] line = new byte[256];
  private long offset;
  private String cut;

  /** Lines of {@code in}; {@code compressed} when its bytes come from an archive. */
  LineReader(InputStream in, boolean compressed) {
    this(in, compressed, 0);
  }

  /** Lines of {@code in}, whose first byte is at {@code offset} of the text (a split of a file). */
  LineReader(InputStream in, boolean compressed, long offset) {
    this.in = in;
    this.compressed = compressed;
    this.offset = offset;
  }

  /** Why the archive could not be read to its end, or null. */
  String cut() {
    return cut;
  }

  /** Where the next byte is in the (decompressed) text: the bytes read so far, after the start. */
  long offset() {
    return offset;
  }

  /** The next byte, or -1 at the end (or where a compressed file stops being readable). */
  private int next() throws IOException {
    if (pos == limit) {
      if (cut != null) {
        return -1;
      }
      try {
        limit = in.read(buffer, 0, buffer.length);
      } catch (IOException e) {
        if (!compressed) {
          throw e;
        }
        cut = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        limit = 0;
      }
      pos = 0;
      if (limit <= 0) {
        limit = 0;
        return -1;
      }
    }
    offset++;
    return buffer[pos++] & 0xFF;
  }

  /** The next line, or null at the end. */
  Line readLine() throws IOException {
    long start = offset;
    int b = next();
    if (b < 0) {
      return null;
    }
    long length = 0;
    int kept = 0;
    while (b >= 0 && b != '\n' && b != '\r') {
      if (length < RawRow.MAX_BYTES) {
        if (kept == line.length) {
          line = java.util.Arrays.copyOf(line, Math.min(kept * 2, RawRow.MAX_BYTES));
        }
        line[kept++] = (byte) b;
      }
      length++;
      b = next();
    }
    String terminator = "";
    if (b == '\n') {
      terminator = "\n";
    } else if (b == '\r') {
      terminator = "\r";
      int after = next();
      if (after == '\n') {
        terminator = "\r\n";
      } else if (after >= 0) {
        pos--; // not a \r\n: the byte starts the next line (the buffer still holds it)
        offset--;
      }
    }
    boolean over = length > RawRow.MAX_BYTES;
    boolean unfinished = b < 0 && cut != null;
    int shown = over ? Math.min(kept, RawRow.SHOWN_BYTES) : kept;
    String text = over ? null : Utf8.decodeOrNull(line, 0, shown);
    boolean utf8 = text != null;
    if (text == null) {
      text = new String(line, 0, shown, StandardCharsets.UTF_8);
    }
    return new Line(text, utf8 || over, terminator, length, over, unfinished, start);
  }
}
