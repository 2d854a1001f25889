package dev.stallwatch.pipeline.files;

import dev.stallwatch.domain.BadRecord;
import dev.stallwatch.domain.RawRow;
import dev.stallwatch.parse.IdMasking;
import dev.stallwatch.text.CsvLine;
import dev.stallwatch.text.Text;
import dev.stallwatch.transforms.StallMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
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
 * <p>Lines are split as bytes and each is decoded as UTF-8 on its own ({@link LineReader}). These
 * go to {@link #UNREADABLE} as dead letters (raw text with its {@code id_no} masked), and the lines
 * after them are read as usual: a record with bytes that are not UTF-8 ({@code not UTF-8 text},
 * shown with replacement characters) instead of reaching the parser with its text silently
 * changed; a line longer than {@link RawRow#MAX_BYTES} (its start, and its length); the unfinished
 * last line of an archive that ends early or is corrupt, and the cut itself, after every row
 * before it was read. A blank line is one of white space only ({@link Text#isBlank}): a line of
 * NULs or other control characters is a row, and a bad one. The streaming job treats a message
 * the same way.
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

  private static final class ReadRowsFn extends DoFn<FileIO.ReadableFile, RawRow> {
    private final Counter unreadable = Metrics.counter(StallMetrics.NAMESPACE, StallMetrics.BAD_ROWS);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      String name = file.getMetadata().resourceId().getFilename();
      Format format = Format.of(name);
      if (format == null) {
        unreadable.inc();
        out.get(UNREADABLE).output(BadRecord.of("", path, "not a .csv or .jsonl file: not read"));
        return;
      }
      boolean compressed = file.getCompression() != Compression.UNCOMPRESSED;
      try (InputStream in = Channels.newInputStream(file.open())) {
        LineReader reader = new LineReader(in, compressed);
        long lines = format == Format.JSONL ? readJsonLines(reader, path, out) : readCsv(reader, path, out);
        if (reader.cut() != null) {
          unreadable.inc();
          out.get(UNREADABLE)
              .output(
                  BadRecord.of(
                      "",
                      path + ":" + (lines + 1),
                      "the archive cannot be read past byte " + reader.offset() + " of its text ("
                          + reader.cut() + "): the rows before were read, nothing after"));
        }
      }
    }

    /** Sends a row on, or makes it a dead letter when its line was too long, cut or not UTF-8. */
    private void emit(RawRow row, LineReader.Line line, MultiOutputReceiver out) {
      String reason = null;
      if (line.over) {
        reason = RawRow.tooLong(line.bytes);
      } else if (line.cut) {
        reason = "the line is unfinished where the archive cannot be read further";
      } else if (!line.utf8) {
        reason = "not UTF-8 text";
      }
      if (reason == null) {
        out.get(ROWS).output(row);
      } else {
        unreadable.inc();
        out.get(UNREADABLE).output(BadRecord.of(IdMasking.mask(row), row.origin(), reason));
      }
    }

    /** Reads the lines of a JSONL file; answers how many there were. */
    private long readJsonLines(LineReader reader, String name, MultiOutputReceiver out)
        throws IOException {
      long lineNo = 0;
      for (LineReader.Line l = reader.readLine(); l != null; l = reader.readLine()) {
        lineNo++;
        String line = l.text;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (!Text.isBlank(line) || l.over) {
          emit(RawRow.json(name + ":" + lineNo, line), l, out);
        }
      }
      return lineNo;
    }

    /** How far a quoted field may run on before its opening line is taken as a bad row alone. */
    private static final int MAX_CONTINUATION_LINES = 50;

    /**
     * Reads the records of a CSV file, a quoted field's line breaks kept as they were ({@code \r\n}
     * stays {@code \r\n}); answers how many lines there were.
     */
    private long readCsv(LineReader reader, String name, MultiOutputReceiver out) throws IOException {
      Deque<LineReader.Line> pushedBack = new ArrayDeque<>();
      String header = null;
      long lineNo = 0;
      while (true) {
        LineReader.Line first = pushedBack.isEmpty() ? reader.readLine() : pushedBack.pollFirst();
        if (first == null) {
          return lineNo;
        }
        lineNo++;
        long start = lineNo;
        String line = first.text;
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (Text.isBlank(line) && !first.over) {
          continue;
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
            LineReader.Line next = pushedBack.isEmpty() ? reader.readLine() : pushedBack.pollFirst();
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
            state = new LineReader.Line(record.toString(), utf8, terminator, bytes, false, cut);
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
            continue;
          }
          // An unusable header is reported; the rows under it fail with the header's problem.
        }
        emit(RawRow.csv(name + ":" + start, record.toString(), header), state, out);
      }
    }
  }
}
