package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.domain.StallRecord;
import dev.stallwatch.parse.IdMasking;
import dev.stallwatch.text.CsvLine;
import dev.stallwatch.text.Text;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The records of a dump file, or of a split of one, one at a time: the rules {@link ReadDump}
 * documents. A CSV record is one line, or a line that opens a quoted field and the lines up to the
 * one that closes it (at most {@value #MAX_CONTINUATION_LINES} more, never past an over-long line,
 * never over {@link RawRow#MAX_BYTES}); when the quote never closes, the opening line alone is a
 * (bad) record and the lines after it are read again as records of their own.
 *
 * <p>A split starts at a record's first byte with the number of lines before it and the file's
 * header, and holds the records that start before its end ({@link DumpSplits} finds such starts);
 * a record that starts inside it is read to its last line even past the end.
 */
final class DumpRecords {
  /** How far a quoted field may run on before its opening line is taken as a bad row alone. */
  static final int MAX_CONTINUATION_LINES = 50;

  private final LineReader reader;
  private final ReadDump.Format format;
  private final String path;
  private final long end;
  private final boolean wholeFile;
  private final Deque<LineReader.Line> pushedBack = new ArrayDeque<>();
  private String header;
  private long lineNo;
  private boolean done;

  /**
   * The records of {@code reader} (positioned at a record's start, {@code linesBefore} lines into
   * the file {@code path}) that start before {@code end}; {@code header} is the CSV file's header,
   * or null when the reader is at the file's start and reads it itself.
   */
  DumpRecords(LineReader reader, ReadDump.Format format, String path, long linesBefore, String header, long end) {
    this.reader = reader;
    this.format = format;
    this.path = path;
    this.lineNo = linesBefore;
    this.header = header;
    this.end = end;
    this.wholeFile = linesBefore == 0 && header == null && end == Long.MAX_VALUE;
  }

  /** Every record of a whole file. */
  static DumpRecords of(LineReader reader, ReadDump.Format format, String path) {
    return new DumpRecords(reader, format, path, 0, null, Long.MAX_VALUE);
  }

  /**
   * Reads a CSV file's header, the first record that is not blank, and answers it; null when the
   * file has none. {@link #position} is then where the records after it start.
   */
  String readHeader() throws IOException {
    while (header == null && !done) {
      nextCsv();
    }
    return header;
  }

  /** Where the next record starts in the text. */
  long position() {
    return pushedBack.isEmpty() ? reader.offset() : pushedBack.peekFirst().start;
  }

  /**
   * The next record: a row, or a dead letter for a line that cannot be a row (over-long, cut, not
   * UTF-8) and, at the end of a whole archive that cannot be read to its end, for the cut; null
   * after the last.
   */
  StallRecord next() throws IOException {
    while (!done) {
      StallRecord r = format == ReadDump.Format.JSONL ? nextJson() : nextCsv();
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  /** The next line, or null at the split's end (a split ends where its last record does). */
  private LineReader.Line nextLine(boolean continuing) throws IOException {
    LineReader.Line l = pushedBack.isEmpty() ? reader.readLine() : pushedBack.pollFirst();
    if (l != null && !continuing && l.start >= end) {
      return null;
    }
    return l;
  }

  /** Ends the records, answering the archive's cut as a dead letter when there was one. */
  private StallRecord finish() {
    done = true;
    if (reader.cut() == null || !wholeFile) {
      return null;
    }
    return StallRecord.of(
        BadRecord.of(
            "",
            path + ":" + (lineNo + 1),
            "the archive cannot be read past byte " + reader.offset() + " of its text ("
                + reader.cut() + "): the rows before were read, nothing after"));
  }

  /** The next JSON line's record; null for a blank line (and at the end, {@link #finish}). */
  private StallRecord nextJson() throws IOException {
    LineReader.Line l = nextLine(false);
    if (l == null) {
      return finish();
    }
    lineNo++;
    String line = l.text;
    if (lineNo == 1 && line.startsWith("\uFEFF")) {
      line = line.substring(1);
    }
    if (Text.isBlank(line) && !l.over) {
      return null;
    }
    return record(RawRow.json(path + ":" + lineNo, line), l);
  }

  /** The next CSV record; null for a blank line or a usable header (and at the end). */
  private StallRecord nextCsv() throws IOException {
    LineReader.Line first = nextLine(header == null);
    if (first == null) {
      return finish();
    }
    lineNo++;
    long start = lineNo;
    String line = first.text;
    if (lineNo == 1 && line.startsWith("\uFEFF")) {
      line = line.substring(1);
    }
    if (Text.isBlank(line) && !first.over) {
      return null;
    }
    StringBuilder record = new StringBuilder(line);
    LineReader.Line state = first;
    if (!first.over && !first.cut && CsvLine.opensQuote(line)) {
      // A quoted field may hold line breaks: read on until its quote closes, but not forever.
      List<LineReader.Line> more = new ArrayList<>();
      boolean closed = false;
      String terminator = first.terminator;
      long bytes = first.bytes;
      while (more.size() < MAX_CONTINUATION_LINES) {
        LineReader.Line next = nextLine(true);
        if (next == null || next.over) {
          if (next != null) {
            pushedBack.addFirst(next);
          }
          break;
        }
        more.add(next);
        bytes += terminator.length() + next.bytes;
        if (bytes > RawRow.MAX_BYTES) {
          break;
        }
        record.append(terminator).append(next.text);
        terminator = next.terminator;
        if (CsvLine.opensQuote(record)) {
          continue;
        }
        closed = true;
        break;
      }
      if (closed) {
        lineNo += more.size();
        boolean utf8 = first.utf8;
        boolean cut = false;
        for (LineReader.Line l : more) {
          utf8 &= l.utf8;
          cut |= l.cut;
        }
        state = new LineReader.Line(record.toString(), utf8, terminator, bytes, false, cut, first.start);
      } else {
        // Never closed: the opening line alone is the (bad) record; the rest are read again.
        for (int i = more.size() - 1; i >= 0; i--) {
          pushedBack.addFirst(more.get(i));
        }
        record.setLength(0);
        record.append(line);
      }
    }
    if (header == null) {
      header = record.toString();
      if (!state.over && !state.cut && state.utf8) {
        return null;
      }
      // An unusable header is reported; the rows under it fail with the header's problem.
    }
    return record(RawRow.csv(path + ":" + start, record.toString(), header), state);
  }

  /** A row, or a dead letter when its line was too long, cut or not UTF-8. */
  private static StallRecord record(RawRow row, LineReader.Line line) {
    String reason = null;
    if (line.over) {
      reason = RawRow.tooLong(line.bytes);
    } else if (line.cut) {
      reason = "the line is unfinished where the archive cannot be read further";
    } else if (!line.utf8) {
      reason = "not UTF-8 text";
    }
    return reason == null
        ? StallRecord.of(row)
        : StallRecord.of(BadRecord.of(IdMasking.mask(row), row.origin(), reason));
  }
}
