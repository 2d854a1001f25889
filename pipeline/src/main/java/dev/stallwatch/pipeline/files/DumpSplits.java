package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.RawRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a plain (uncompressed) dump file into splits that start at record starts, so that readers
 * of the splits together read exactly the records one reader of the file would, with the same
 * line numbers. One pass over the bytes finds the line breaks ({@code \n}, {@code \r\n},
 * {@code \r}) and each line's quote parity, and plays {@link DumpRecords}' rules on them: a line
 * with an odd number of quotes opens a field that the line with which the count turns even again
 * closes, within {@value DumpRecords#MAX_CONTINUATION_LINES} more lines, no over-long line and
 * {@link RawRow#MAX_BYTES}; otherwise the opening line is a record alone. A quote is the byte
 * {@code 0x22} whatever the bytes around it, as it is after decoding (a malformed sequence is
 * replaced without taking an ASCII byte with it).
 */
final class DumpSplits {
  private DumpSplits() {}

  /** Where a split starts and ends, its lines before it, and its file's CSV header. */
  static final class Split implements Serializable {
    private static final long serialVersionUID = 1L;
    final long start;
    final long end;
    final long linesBefore;
    /** The header for a split after the first, or null (the first split reads it itself). */
    final String header;

    Split(long start, long end, long linesBefore, String header) {
      this.start = start;
      this.end = end;
      this.linesBefore = linesBefore;
      this.header = header;
    }

    @Override
    public String toString() {
      return "[" + start + ", " + end + ") after " + linesBefore + " lines";
    }
  }

  /** A line's place, length, line break and quote parity. */
  private static final class Line {
    final long start;
    final long bytes;
    final int terminator;
    final boolean odd;

    Line(long start, long bytes, int terminator, boolean odd) {
      this.start = start;
      this.bytes = bytes;
      this.terminator = terminator;
      this.odd = odd;
    }

    boolean over() {
      return bytes > RawRow.MAX_BYTES;
    }
  }

  /** The lines of a stream, from its start. */
  private static final class Lines {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 20];
    private int pos;
    private int limit;
    private long offset;
    private boolean eof;

    Lines(InputStream in) {
      this.in = in;
    }

    private boolean fill() throws IOException {
      if (eof) {
        return false;
      }
      int n = in.readNBytes(buffer, 0, buffer.length);
      pos = 0;
      limit = Math.max(n, 0);
      if (limit == 0) {
        eof = true;
      }
      return limit > 0;
    }

    /** The next line, or null at the end. */
    Line next() throws IOException {
      if (pos == limit && !fill()) {
        return null;
      }
      long start = offset;
      long length = 0;
      boolean odd = false;
      while (true) {
        if (pos == limit && !fill()) {
          return new Line(start, length, 0, odd);
        }
        byte[] b = buffer;
        int i = pos;
        int n = limit;
        while (i < n) {
          byte c = b[i];
          if (c == '\n' || c == '\r') {
            break;
          }
          if (c == '"') {
            odd = !odd;
          }
          i++;
        }
        length += i - pos;
        offset += i - pos;
        pos = i;
        if (i < n) {
          byte c = b[pos++];
          offset++;
          if (c == '\n') {
            return new Line(start, length, 1, odd);
          }
          // \r, and \r\n when a \n follows (perhaps in the next buffer)
          if (pos == limit && !fill()) {
            return new Line(start, length, 1, odd);
          }
          if (buffer[pos] == '\n') {
            pos++;
            offset++;
            return new Line(start, length, 2, odd);
          }
          return new Line(start, length, 1, odd);
        }
      }
    }
  }

  /**
   * Splits of about {@code target} bytes (at least one) of a file of {@code format} whose text
   * {@code in} gives from its start; {@code header} and {@code headerEnd} are those {@link
   * DumpRecords} read (null and 0 for JSONL): no split but the first starts before the header's
   * end.
   */
  static List<Split> plan(InputStream in, ReadDump.Format format, long target, String header, long headerEnd)
      throws IOException {
    List<long[]> starts = new ArrayList<>(); // {offset, lines before}
    Lines lines = new Lines(in);
    ArrayDeque<Line> ahead = new ArrayDeque<>();
    long linesBefore = 0;
    long next = Math.max(target, 1);
    while (true) {
      Line first = ahead.isEmpty() ? lines.next() : ahead.pollFirst();
      if (first == null) {
        break;
      }
      if (first.start >= next && first.start >= headerEnd && first.start > 0) {
        starts.add(new long[] {first.start, linesBefore});
        next = first.start + target;
      }
      int taken = 1;
      if (format == ReadDump.Format.CSV && first.odd && !first.over()) {
        while (ahead.size() < DumpRecords.MAX_CONTINUATION_LINES) {
          Line l = lines.next();
          if (l == null) {
            break;
          }
          ahead.addLast(l);
        }
        boolean odd = true;
        long bytes = first.bytes;
        int terminator = first.terminator;
        int more = 0;
        for (Line l : ahead) {
          if (l.over()) {
            break;
          }
          more++;
          bytes += terminator + l.bytes;
          if (bytes > RawRow.MAX_BYTES) {
            break;
          }
          terminator = l.terminator;
          odd ^= l.odd;
          if (!odd) {
            taken += more;
            break;
          }
        }
      }
      for (int i = 1; i < taken; i++) {
        ahead.pollFirst();
      }
      linesBefore += taken;
    }
    List<Split> splits = new ArrayList<>();
    long start = 0;
    long before = 0;
    for (long[] s : starts) {
      splits.add(new Split(start, s[0], before, start == 0 ? null : header));
      start = s[0];
      before = s[1];
    }
    splits.add(new Split(start, Long.MAX_VALUE, before, start == 0 ? null : header));
    return splits;
  }
}
