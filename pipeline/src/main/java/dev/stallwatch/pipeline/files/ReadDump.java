package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.parse.IdMasking;
import dev.stallwatch.text.CsvLine;
import dev.stallwatch.text.Utf8;
import dev.stallwatch.transforms.StallMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads dump files into {@link RawRow}s with their origin ({@code file:line}). A {@code .csv} file's
 * first line is its header, and a quoted field may run over several lines; a {@code .jsonl} file
 * has one JSON object a line. Either may be gzip-compressed ({@code .gz}). Blank lines are skipped.
 *
 * <p>Lines are split as bytes and each is decoded as UTF-8 on its own: a record with bytes that are
 * not UTF-8 goes to {@link #UNREADABLE} as a dead letter ({@code not UTF-8 text}, shown with
 * replacement characters and its {@code id_no} masked) instead of reaching the parser with its
 * text silently changed; the lines after it are read as usual. The streaming job treats a
 * message the same way.
 */
public final class ReadDump extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<RawRow> ROWS = new TupleTag<RawRow>("rows") {};
  public static final TupleTag<BadRecord> UNREADABLE = new TupleTag<BadRecord>("unreadable") {};

  private final String filepattern;

  private ReadDump(String filepattern) {
    this.filepattern = filepattern;
  }

  public static ReadDump from(String filepattern) {
    return new ReadDump(filepattern);
  }

  /** The dump format a file name stands for. */
  public enum Format {
    CSV,
    JSONL;

    /** The format of {@code name}, or null when its extension is neither. */
    public static Format of(String name) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.endsWith(".gz")) {
        n = n.substring(0, n.length() - 3);
      }
      if (n.endsWith(".csv")) {
        return CSV;
      }
      if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
        return JSONL;
      }
      return null;
    }
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple read =
        begin
            .apply("Match", FileIO.match().filepattern(filepattern))
            .apply("Open", FileIO.readMatches().withCompression(Compression.AUTO))
            .apply("Rows", ParDo.of(new ReadRowsFn()).withOutputTags(ROWS, TupleTagList.of(UNREADABLE)));
    read.get(ROWS).setCoder(RawRow.RawRowCoder.of());
    read.get(UNREADABLE).setCoder(BadRecord.BadRecordCoder.of());
    return read;
  }

  /** One line of text; {@code utf8} is false when its bytes were not UTF-8 (then shown replaced). */
  private static final class Line {
    final String text;
    final boolean utf8;

    Line(String text, boolean utf8) {
      this.text = text;
      this.utf8 = utf8;
    }
  }

  /** Splits a stream into lines at \n, \r\n or \r, as bytes, and decodes each line on its own. */
  private static final class LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];

    LineReader(InputStream in) {
      this.in = in;
    }

    /** The next byte, or -1 at the end. */
    private int next() throws IOException {
      if (pos == limit) {
        limit = in.read(buffer, 0, buffer.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return -1;
        }
      }
      return buffer[pos++] & 0xFF;
    }

    Line readLine() throws IOException {
      int b = next();
      if (b < 0) {
        return null;
      }
      int length = 0;
      while (b >= 0 && b != '\n' && b != '\r') {
        if (length == line.length) {
          line = java.util.Arrays.copyOf(line, length * 2);
        }
        line[length++] = (byte) b;
        b = next();
      }
      if (b == '\r') {
        int after = next();
        if (after >= 0 && after != '\n') {
          pos--; // not a \r\n: the byte starts the next line (the buffer still holds it)
        }
      }
      String text = Utf8.decodeOrNull(line, 0, length);
      return text != null ? new Line(text, true) : new Line(new String(line, 0, length, StandardCharsets.UTF_8), false);
    }
  }

  private static final class ReadRowsFn extends DoFn<FileIO.ReadableFile, RawRow> {
    private final Counter unreadable = Metrics.counter(StallMetrics.NAMESPACE, StallMetrics.BAD_ROWS);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      Format format = Format.of(file.getMetadata().resourceId().getFilename());
      if (format == null) {
        throw new IllegalArgumentException(path + ": not a .csv or .jsonl file");
      }
      try (InputStream in = Channels.newInputStream(file.open())) {
        LineReader reader = new LineReader(in);
        if (format == Format.JSONL) {
          readJsonLines(reader, path, out);
        } else {
          readCsv(reader, path, out);
        }
      }
    }

    /** Sends a row on, or makes it a dead letter when its bytes were not UTF-8. */
    private void emit(RawRow row, boolean utf8, MultiOutputReceiver out) {
      if (utf8) {
        out.get(ROWS).output(row);
      } else {
        unreadable.inc();
        out.get(UNREADABLE).output(BadRecord.of(IdMasking.mask(row), row.origin(), "not UTF-8 text"));
      }
    }

    private void readJsonLines(LineReader reader, String name, MultiOutputReceiver out)
        throws IOException {
      long lineNo = 0;
      for (Line l = reader.readLine(); l != null; l = reader.readLine()) {
        lineNo++;
        String line = l.text;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (!line.isBlank()) {
          emit(RawRow.json(name + ":" + lineNo, line), l.utf8, out);
        }
      }
    }

    /** How far a quoted field may run on before its opening line is taken as a bad row alone. */
    private static final int MAX_CONTINUATION_LINES = 50;

    private void readCsv(LineReader reader, String name, MultiOutputReceiver out) throws IOException {
      Deque<Line> pushedBack = new ArrayDeque<>();
      String header = null;
      long lineNo = 0;
      while (true) {
        Line first = pushedBack.isEmpty() ? reader.readLine() : pushedBack.pollFirst();
        if (first == null) {
          return;
        }
        lineNo++;
        long start = lineNo;
        String line = first.text;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        StringBuilder record = new StringBuilder(line);
        boolean utf8 = first.utf8;
        if (CsvLine.opensQuote(line)) {
          // A quoted field may hold line breaks: read on until its quote closes, but not forever.
          List<Line> more = new ArrayList<>();
          boolean closed = false;
          while (more.size() < MAX_CONTINUATION_LINES) {
            Line next = pushedBack.isEmpty() ? reader.readLine() : pushedBack.pollFirst();
            if (next == null) {
              break;
            }
            more.add(next);
            record.append('\n').append(next.text);
            if (CsvLine.opensQuote(record)) {
              continue;
            }
            closed = true;
            break;
          }
          if (closed) {
            lineNo += more.size();
            for (Line l : more) {
              utf8 &= l.utf8;
            }
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
          continue;
        }
        emit(RawRow.csv(name + ":" + start, record.toString(), header), utf8, out);
      }
    }
  }
}
